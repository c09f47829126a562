"""`consent`: one box the resident ticks to agree (個人情報の取扱いへの同意 and the like)."""

from __future__ import annotations

from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._validation import optional, required
from portal.procedure.question import Question


class ConsentQuestion(Question):
    type: Literal["consent"]


@register
class Consent(FieldType):
    name = "consent"
    model = ConsentQuestion

    def form_field(self, field, label, locale):
        check = (
            required(_l("Tick the box to agree: %(label)s", label=label))
            if field.required
            else optional()
        )
        return BooleanField(label, validators=[check])

    def to_answer(self, data):
        return True if data else None

    def display(self, field, answer, locale):
        return str(_l("Agreed")) if answer else str(_l("Not agreed"))

    def possible_answers(self, field):
        return [True]  # an unticked box is not answered

    def answer_advice(self, field):
        return (
            "a consent question is ticked or not answered: "
            "use `answered: true` or `answered: false`"
        )

    def sample_input(self, field) -> FormInput:
        return {field.id: "y"}
