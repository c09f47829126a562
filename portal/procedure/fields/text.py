"""`text`: one line of free text (name, address, …), width-normalised."""

from __future__ import annotations

import re
from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._examples import example_matching
from portal.procedure.fields._validation import nfkc, pattern, text_validators
from portal.procedure.findings import Finding
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
        if field.pattern:
            found = example_matching(field.pattern, field.min_length, field.max_length, nfkc)
            if found is not None:
                return {field.id: found}
        size = min(max(field.min_length or 0, 4), field.max_length or 4)
        return {field.id: ("横浜" * size)[:size]}

    def invalid_input(self, field) -> FormInput | None:
        if field.max_length:
            return {field.id: "あ" * (field.max_length + 1)}
        if field.pattern and not re.fullmatch(field.pattern, "あ!"):
            return {field.id: "あ!"}
        return None

    def problems(self, field, at, scope):
        found = super().problems(field, at, scope)
        if (
            field.pattern
            and example_matching(field.pattern, field.min_length, field.max_length, nfkc) is None
        ):
            message = (
                "no answer could be made that matches this `pattern` within the length limits, "
                "so the tests and the accessibility audit cannot fill this question; "
                "check the pattern (lookarounds and back-references are not supported)"
            )
            found.append(Finding((*at, "pattern"), message))
        return found
