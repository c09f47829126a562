"""`text`: one line of free text (name, address, …), width-normalised."""

from __future__ import annotations

from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._validation import nfkc, pattern, text_validators
from portal.procedure.question import Autocomplete, Lengths, Pattern, Prefill, Question
from portal.procedure.text import plain


class TextQuestion(Question, Lengths, Pattern, Autocomplete, Prefill):
    type: Literal["text"]
    prefill_sources = frozenset({"name", "address", "gender"})


@register
class Text(FieldType):
    name = "text"
    model = TextQuestion
    receives_address = True
    autofill_control = "input-text"

    def form_field(self, field, label, locale):
        checks = text_validators(field, label, _l("Enter %(label)s", label=label))
        if field.pattern:
            message = (
                plain(field.pattern_message, locale)
                if field.pattern_message
                else _l("Enter %(label)s in the correct format", label=label)
            )
            checks.append(pattern(field.pattern, message))
        return StringField(label, validators=checks, filters=[nfkc])

    def sample_input(self, field) -> FormInput:
        size = min(max(field.min_length or 0, 4), field.max_length or 4)
        return {field.id: ("横浜" * size)[:size]}

    def invalid_input(self, field) -> FormInput | None:
        if field.max_length:
            return {field.id: "あ" * (field.max_length + 1)}
        return None
