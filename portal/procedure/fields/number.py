"""`number`: a whole number, optionally between `min` and `max`."""

from __future__ import annotations

from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import Field as FormField

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._settings import range_problems
from portal.procedure.fields._validation import in_range, nfkc, optional, required
from portal.procedure.question import Autocomplete, Question


class WholeNumberField(FormField):
    """Read a whole number, keeping what was typed when it is not one."""

    def __init__(self, label, not_a_number: str, **kwargs):
        super().__init__(label, **kwargs)
        self.not_a_number = not_a_number
        self.raw = ""

    def process_formdata(self, valuelist):
        self.raw = nfkc(valuelist[0]) if valuelist else ""
        self.raw = self.raw.replace(",", "")
        if not self.raw:
            self.data = None
            return
        try:
            self.data = int(self.raw)
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None

    def _value(self) -> str:
        if self.raw:
            return self.raw
        return "" if self.data is None else str(self.data)


class NumberQuestion(Question, Autocomplete):
    type: Literal["number"]
    min: int | None = None
    max: int | None = None


@register
class Number(FieldType):
    name = "number"
    model = NumberQuestion
    is_whole_number = True
    autofill_control = "input-text"

    def form_field(self, field, label, locale):
        checks = [required(_l("Enter %(label)s", label=label)) if field.required else optional()]
        if field.min is not None or field.max is not None:
            checks.append(in_range(label, field.min, field.max))
        return WholeNumberField(
            label,
            not_a_number=_l("Enter %(label)s as a whole number, like 3", label=label),
            validators=checks,
        )

    def export_value(self, field, answer):
        return int(answer) if isinstance(answer, int) else str(answer)

    def problems(self, field, at, scope):
        return super().problems(field, at, scope) + range_problems(field.min, field.max, at)

    def sample_input(self, field) -> FormInput:
        value = field.min if field.min is not None else 1
        return {field.id: str(value)}

    def invalid_input(self, field) -> FormInput | None:
        return {field.id: "two"}
