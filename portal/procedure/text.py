"""Texts written by staff: a plain Japanese string or a map of locale → text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from portal.locales import BY_CODE, DEFAULT, fallback_chain

#: furigana as staff write it in their texts: {漢字|かんじ}
FURIGANA = re.compile(r"\{([^{}|]+)\|([^{}|]+)\}")


def without_ruby(text: str) -> str:
    """Write {漢字|かんじ} as 漢字（かんじ）: staff text where markup cannot go."""
    return FURIGANA.sub(r"\1（\2）", text)


def plain(text: dict[str, str], locale: str) -> str:
    """Return a staff-written text in `locale` as plain words (labels in messages, CSV, email).

    Only staff texts are read for furigana; what residents type is never passed here.
    """
    return without_ruby(localize(text, locale).text)


@dataclass(frozen=True)
class LocalizedString:
    """A text picked for a locale, with the locale it is really written in."""

    text: str
    locale: str

    def __str__(self) -> str:
        return self.text


def _to_map(value: Any) -> Any:
    if isinstance(value, str):
        return {DEFAULT: value}
    if value is None:
        raise PydanticCustomError("text_empty", "the text is empty")
    if not isinstance(value, dict):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    return value


def _known_language(code: str) -> str:
    if code not in BY_CODE:
        raise ValueError(f"unknown language {code!r}; use one of: {', '.join(BY_CODE)}")
    return code


def _check_map(value: dict[str, str]) -> dict[str, str]:
    if not value.get(DEFAULT, "").strip():
        raise ValueError("the Japanese text (ja) is missing; every text needs at least `ja:`")
    return {code: text.strip() for code, text in value.items()}


_TEXT_SCHEMA = {
    "anyOf": [
        {"type": "string", "description": "Japanese text"},
        {
            "type": "object",
            "description": "Text per language; `ja` is required",
            "properties": {code: {"type": "string"} for code in BY_CODE},
            "required": [DEFAULT],
            "additionalProperties": False,
        },
    ]
}

Text = Annotated[
    dict[Annotated[str, AfterValidator(_known_language)], str],
    BeforeValidator(_to_map),
    AfterValidator(_check_map),
    WithJsonSchema(_TEXT_SCHEMA),
]


def localize(text: dict[str, str], locale: str) -> LocalizedString:
    """Pick the best available translation of `text` for `locale`."""
    for code in fallback_chain(locale):
        if text.get(code):
            return LocalizedString(text[code], code)
    return LocalizedString(text[DEFAULT], DEFAULT)


def translated_share(texts: list[dict[str, str]], locale: str) -> float:
    """Return the share of `texts` written in `locale` itself (1.0 when there are none)."""
    if not texts:
        return 1.0
    return sum(1 for text in texts if text.get(locale)) / len(texts)
