"""`select`: one option from a drop-down list (for long lists)."""

from __future__ import annotations

from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from portal.procedure.fields import register
from portal.procedure.fields._choice import ChoiceType
from portal.procedure.question import Autocomplete, Options, Prefill, Question


class SelectQuestion(Question, Options, Autocomplete, Prefill):
    type: Literal["select"]
    prefill_sources = frozenset({"gender"})


@register
class Select(ChoiceType):
    name = "select"
    model = SelectQuestion
    autofill_control = "select"

    def form_field(self, field, label, locale):
        choices = [SelectChoice("", str(_l("Select an option"))), *self.choices(field, locale)]
        return SelectField(
            label,
            choices=choices,
            validators=[self.presence(field, label)],
            validate_choice=True,
        )
