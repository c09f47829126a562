"""`radio`: one option from a short list, every option visible."""

from __future__ import annotations

from typing import Literal

from wtforms import RadioField

from portal.procedure.fields import register
from portal.procedure.fields._choice import ChoiceType
from portal.procedure.question import Options, Prefill, Question


class RadioQuestion(Question, Options, Prefill):
    type: Literal["radio"]
    prefill_sources = frozenset({"gender"})


@register
class Radio(ChoiceType):
    name = "radio"
    model = RadioQuestion

    def form_field(self, field, label, locale):
        return RadioField(
            label, choices=self.choices(field, locale), validators=[self.presence(field, label)]
        )
