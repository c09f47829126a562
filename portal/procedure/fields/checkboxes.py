"""`checkboxes`: any number of options from a list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField

from portal.procedure.fields import FormInput, register
from portal.procedure.fields._choice import ChoiceType
from portal.procedure.fields._validation import optional, required


@register
class Checkboxes(ChoiceType):
    name = "checkboxes"
    settings = frozenset({"options"})

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
