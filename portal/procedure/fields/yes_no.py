"""`yes_no`: a question answered はい or いいえ."""

from __future__ import annotations

from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from portal.procedure.fields import FormInput, register
from portal.procedure.fields._choice import ChoiceType
from portal.procedure.question import Question


class YesNoQuestion(Question):
    type: Literal["yes_no"]


@register
class YesNo(ChoiceType):
    name = "yes_no"
    model = YesNoQuestion
    takes_options = False

    def choices(self, field, locale):
        return [SelectChoice("yes", str(_l("Yes"))), SelectChoice("no", str(_l("No")))]

    def form_field(self, field, label, locale):
        return RadioField(
            label, choices=self.choices(field, locale), validators=[self.presence(field, label)]
        )

    def possible_answers(self, field):
        return ["yes", "no"]

    def sample_input(self, field) -> FormInput:
        return {field.id: "yes"}
