"""`checkboxes`: any number of options from a list."""

from __future__ import annotations

from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField

from portal.procedure.fields import FormInput, register
from portal.procedure.fields._choice import ChoiceType
from portal.procedure.fields._validation import optional, required
from portal.procedure.question import Options, Question


class CheckboxesQuestion(Question, Options):
    type: Literal["checkboxes"]


@register
class Checkboxes(ChoiceType):
    name = "checkboxes"
    model = CheckboxesQuestion

    def form_field(self, field, label, locale):
        presence = (
            required(_l("Select at least one option for %(label)s", label=label))
            if field.required
            else optional()
        )
        return SelectMultipleField(
            label, choices=self.choices(field, locale), validators=[presence]
        )

    def to_answer(self, data):
        return list(data) if data else None

    def sample_input(self, field) -> FormInput:
        return {field.id: [field.options[0].value]}
