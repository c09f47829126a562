"""`radio`: one option from a short list, every option visible."""

from __future__ import annotations

from wtforms import RadioField

from portal.procedure.fields import register
from portal.procedure.fields._choice import ChoiceType


@register
class Radio(ChoiceType):
    name = "radio"
    settings = frozenset({"options"})

    def form_field(self, field, label, locale):
        return RadioField(
            label, choices=self.choices(field, locale), validators=[self.presence(field, label)]
        )
