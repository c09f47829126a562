"""`quantity`: a whole number of something, with its unit (3 個, 2 人, 12 ㎡).

The unit is staff text, shown after the box, read with the box by screen readers, and
kept with the answer wherever it is shown ("3 個", not "3").
"""

from __future__ import annotations

import re
from typing import Literal

from portal.procedure.fields import register
from portal.procedure.fields.number import Number
from portal.procedure.question import Question
from portal.procedure.text import Text, plain

#: units written against the number in Japanese, Chinese and Korean (3個, 3人, 3명, 12㎡)
_CLOSE_UNIT = re.compile(r"[\u3040-\u30ff\u3300-\u33ff\u3400-\u9fff\uac00-\ud7af]")


class QuantityQuestion(Question):
    type: Literal["quantity"]
    #: what is counted, shown after the box: 個, 人, ㎡
    unit: Text
    min: int | None = None
    max: int | None = None


@register
class Quantity(Number):
    """Read, checked and exported as a `number`; shown with its unit."""

    name = "quantity"
    model = QuantityQuestion

    def display(self, field, answer, locale):
        unit = plain(field.unit, locale)
        return f"{answer}{unit}" if _CLOSE_UNIT.match(unit) else f"{answer} {unit}"
