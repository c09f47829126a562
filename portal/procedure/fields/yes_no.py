"""`yes_no`: a question answered はい or いいえ."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from portal.procedure.fields import FormInput, register
from portal.procedure.fields._choice import ChoiceType


@register
class YesNo(ChoiceType):
    name = "yes_no"
    takes_options = False

    def choices(self, field, locale):
        return [SelectChoice("yes", str(_l("Yes"))), SelectChoice("no", str(_l("No")))]

    def form_field(self, field, label, locale):
        return RadioField(
            label, choices=self.choices(field, locale), validators=[self.presence(field, label)]
        )

    def sample_input(self, field) -> FormInput:
        return {field.id: "yes"}
