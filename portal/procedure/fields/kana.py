"""`kana`: a name in フリガナ; hiragana and half-width kana are stored as katakana."""

from __future__ import annotations

import re
from typing import Literal

import jaconv
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._validation import nfkc, pattern, text_validators
from portal.procedure.findings import Finding
from portal.procedure.question import Autocomplete, Lengths, Question

_KATAKANA = r"[ァ-ヴー・　]+"


def to_katakana(value: str | None) -> str | None:
    """Fold hiragana and half-width kana into full-width katakana; spaces become 全角."""
    if not value:
        return value
    folded = jaconv.hira2kata(nfkc(value))
    return re.sub(r"\s+", "　", folded)


class KanaQuestion(Question, Lengths, Autocomplete):
    type: Literal["kana"]


@register
class Kana(FieldType):
    name = "kana"
    model = KanaQuestion
    autofill_control = "input-text"

    def form_field(self, field, label, locale):
        checks = text_validators(field, label, _l("Enter %(label)s", label=label))
        checks.append(
            pattern(_KATAKANA, _l("Enter %(label)s in katakana or hiragana", label=label))
        )
        return StringField(label, validators=checks, filters=[to_katakana])

    def advice(self, field, at):
        tokens = set((field.autocomplete or "").split())
        if not tokens & {"name", "given-name", "family-name", "additional-name", "nickname"}:
            return []
        message = (
            "a browser fills `autocomplete: name` with the name in kanji or letters, which a "
            "kana question refuses; remove `autocomplete` from the kana question"
        )
        return [Finding((*at, "autocomplete"), message)]

    def sample_input(self, field) -> FormInput:
        return {field.id: "よこはま　はなこ"}

    def invalid_input(self, field) -> FormInput | None:
        return {field.id: "Hanako"}
