"""`quantity`: a whole number of something, with its unit (3 個, 2 人, 12 ㎡).

The unit is staff text, shown after the box, read with the box by screen readers, and
kept with the answer wherever it is shown ("3 個", not "3").
"""

from __future__ import annotations

from typing import Literal

from flask_babel import lazy_gettext as _l

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._settings import range_problems
from portal.procedure.fields._validation import in_range, optional, required
from portal.procedure.fields.number import WholeNumberField
from portal.procedure.question import Question
from portal.procedure.text import Text, plain


class QuantityQuestion(Question):
    type: Literal["quantity"]
    #: what is counted, shown after the box: 個, 人, ㎡
    unit: Text
    min: int | None = None
    max: int | None = None


@register
class Quantity(FieldType):
    name = "quantity"
    model = QuantityQuestion
    is_whole_number = True

    def form_field(self, field, label, locale):
        checks = [required(_l("Enter %(label)s", label=label)) if field.required else optional()]
        if field.min is not None or field.max is not None:
            checks.append(in_range(label, field.min, field.max))
        return WholeNumberField(
            label,
            not_a_number=_l("Enter %(label)s as a whole number, like 3", label=label),
            validators=checks,
        )

    def display(self, field, answer, locale):
        unit = plain(field.unit, locale)
        return f"{answer} {unit}" if unit.isascii() else f"{answer}{unit}"

    def export_value(self, field, answer):
        return int(answer) if isinstance(answer, int) else str(answer)

    def problems(self, field, at, scope):
        return super().problems(field, at, scope) + range_problems(field.min, field.max, at)

    def sample_input(self, field) -> FormInput:
        return {field.id: str(field.min if field.min is not None else 1)}

    def invalid_input(self, field) -> FormInput | None:
        return {field.id: "three"}
