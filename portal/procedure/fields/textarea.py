"""`textarea`: several lines of free text (an opinion, a description)."""

from __future__ import annotations

from typing import Literal

import jaconv
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._validation import text_validators
from portal.procedure.findings import Finding
from portal.procedure.question import Autocomplete, Lengths, Prefill, Question


def _tidy(value: str | None) -> str | None:
    # Only half-width kana is folded: NFKC would rewrite ①, ㈱ and the like in prose.
    if value is None:
        return None
    lines = jaconv.h2z(value, kana=True, ascii=False, digit=False).replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in lines.split("\n")).strip()


class TextAreaQuestion(Question, Lengths, Autocomplete, Prefill):
    type: Literal["textarea"]
    prefill_sources = frozenset({"name", "address"})


@register
class TextArea(FieldType):
    name = "textarea"
    model = TextAreaQuestion
    receives_address = True
    autofill_control = "textarea"

    def form_field(self, field, label, locale):
        checks = text_validators(field, label, _l("Enter %(label)s", label=label))
        return TextAreaField(label, validators=checks, filters=[_tidy])

    def advice(self, field, at):
        if field.max_length is not None:
            return []
        message = (
            "a textarea without `max_length` lets residents type without limit; "
            "add `max_length` (e.g. 2000) and say it in the hint"
        )
        return [Finding((*at, "type"), message)]

    def sample_input(self, field) -> FormInput:
        size = max(field.min_length or 0, 12)
        return {field.id: ("計画案に賛成です。" * 10)[:size]}

    def invalid_input(self, field) -> FormInput | None:
        if field.max_length:
            return {field.id: "あ" * (field.max_length + 1)}
        return None
