"""`email`: an email address, checked for shape (not deliverability)."""

from __future__ import annotations

import re
from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import EmailField

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._validation import length, nfkc, optional, pattern, required
from portal.procedure.question import Autocomplete, Question

# Nothing a mail header reads as syntax: "a@b.jp<c@d.jp>" would be sent to c@d.jp.
_PART = r"[^@\s<>()\[\]\\,;:\"]"
_SHAPE = rf"{_PART}+@(?:(?!\.){_PART})+(\.(?:(?!\.){_PART})+)+"


def _fold(value: str | None) -> str | None:
    value = nfkc(value)
    return value.replace("＠", "@") if isinstance(value, str) else value


class EmailQuestion(Question, Autocomplete):
    type: Literal["email"]


@register
class Email(FieldType):
    name = "email"
    model = EmailQuestion
    is_email_address = True
    autofill_control = "input-email"

    def form_field(self, field, label, locale):
        checks = [
            required(_l("Enter %(label)s", label=label)) if field.required else optional(),
            length(label, None, 254),
            pattern(
                _SHAPE,
                _l(
                    "Enter %(label)s in the correct format, like name@example.com",
                    label=label,
                ),
            ),
        ]
        return EmailField(label, validators=checks, filters=[_fold])

    def sample_input(self, field) -> FormInput:
        return {field.id: "hanako.yokohama@example.jp"}

    def invalid_input(self, field) -> FormInput | None:
        return {field.id: "hanako.example.jp"}


def is_email(value: str) -> bool:
    """Tell whether `value` has the shape of an email address."""
    return re.fullmatch(_SHAPE, value) is not None
