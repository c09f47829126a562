"""WTForms built from a page's questions, and the small fixed forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField

from portal.procedure.compiled import once_per
from portal.procedure.fields import kind_of
from portal.procedure.fields._validation import nfkc, required
from portal.procedure.model import Field, Page
from portal.procedure.text import plain


def page_form(page: Page, fields: list[Field], locale: str, answers: dict[str, Any]) -> FlaskForm:
    """Return a form for `fields` of `page`, filled from `answers` unless the request posts new ones."""
    key = ("form", locale, tuple(field.id for field in fields))
    form_class = once_per(page, key, lambda: _form_class(fields, locale))
    data = {field.id: kind_of(field).to_form_data(answers.get(field.id)) for field in fields}
    return form_class(data=data)


def _form_class(fields: list[Field], locale: str) -> type[FlaskForm]:
    attrs = {
        field.id: kind_of(field).form_field(
            field, plain(field.short_label or field.label, locale), locale
        )
        for field in fields
    }
    return type("PageForm", (FlaskForm,), attrs)


def answers_from(form: FlaskForm, fields: list[Field]) -> dict[str, Any]:
    """Return the stored answers for `fields` from a validated form."""
    return {field.id: kind_of(field).to_answer(form[field.id].data) for field in fields}


class ActionForm(FlaskForm):
    """A form with only a CSRF token: start, submit."""


class StatusLookupForm(FlaskForm):
    reference_number = StringField(
        _l("Reference number"),
        validators=[required(_l("Enter your reference number, like YKH-7K3P-9QRT"))],
        filters=[nfkc],
    )
    email = EmailField(
        _l("Email address"),
        validators=[required(_l("Enter the email address you gave when you applied"))],
        filters=[nfkc],
    )
