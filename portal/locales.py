"""The languages the portal speaks, and how a missing text falls back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # the code used in URLs, YAML text maps and catalogue folders
    html_lang: str  # the BCP 47 tag written into lang="…"
    name: str  # the language's name for itself


LANGUAGES: tuple[Language, ...] = (
    Language("ja", "ja", "日本語"),
    Language("ja_easy", "ja", "やさしい にほんご"),
    Language("en", "en", "English"),
    Language("zh_Hans", "zh-Hans", "简体中文"),
    Language("zh_Hant", "zh-Hant", "繁體中文"),
    Language("ko", "ko", "한국어"),
    Language("vi", "vi", "Tiếng Việt"),
    Language("tl", "tl", "Tagalog"),
    Language("ne", "ne", "नेपाली"),
    Language("pt_BR", "pt-BR", "Português (Brasil)"),
    Language("es", "es", "Español"),
)
BY_CODE = {language.code: language for language in LANGUAGES}
DEFAULT = "ja"


def fallback_chain(code: str) -> tuple[str, ...]:
    """Return the locales to try, best first, for a text wanted in `code`."""
    if code == DEFAULT:
        return (DEFAULT,)
    if code == "ja_easy":
        return ("ja_easy", DEFAULT)
    return (code, "en", DEFAULT)


def html_lang(code: str) -> str:
    """Return the lang attribute value for a locale code."""
    return BY_CODE[code].html_lang if code in BY_CODE else code


def babel_locale(code: str) -> str:
    """Return the Babel/CLDR locale used to format dates and numbers for `code`."""
    return {"ja_easy": "ja", "tl": "fil"}.get(code, code)
