"""The language of the page and of its parts (3.1.1, 3.1.2)."""

from __future__ import annotations

import re
import unicodedata

from accessibility_tests.findings import Finding, Where
from accessibility_tests.snapshot import Facts, TextRun

BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
#: scripts that give a text's language away, and the primary languages written in them
SCRIPTS: tuple[tuple[str, re.Pattern[str], frozenset[str], str], ...] = (
    ("kana", re.compile(r"[\u3040-\u30ff]"), frozenset({"ja"}), "ja"),
    ("hangul", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"), frozenset({"ko"}), "ko"),
    ("devanagari", re.compile(r"[\u0900-\u097f]"), frozenset({"ne", "hi", "mr"}), "ne"),
    ("han", re.compile(r"[\u4e00-\u9fff]"), frozenset({"ja", "zh", "ko"}), "ja or zh-Hans"),
)


def primary(tag: str | None) -> str:
    """Return the primary language subtag of a BCP 47 tag ('' if none)."""
    return (tag or "").split("-")[0].lower()


def page_language(facts: Facts, where: Where, expected: str) -> list[Finding]:
    """Return a finding unless <html lang> is present, well-formed and the locale's."""
    lang = facts["lang"]
    if not lang or not BCP47.match(lang):
        return [
            Finding(
                where,
                "3.1.1",
                "html-lang",
                "html",
                f"<html lang> is {lang!r}",
                f'write <html lang="{expected}">',
            )
        ]
    if primary(lang) != primary(expected):
        return [
            Finding(
                where,
                "3.1.1",
                "html-lang-matches-locale",
                f'html[lang="{lang}"]',
                f"the page is in locale {where.locale} but says lang={lang!r}",
                f'write <html lang="{expected}">',
            )
        ]
    return []


def parts_language(
    facts: Facts, where: Where, typed: tuple[str, ...], names: dict[str, str]
) -> list[Finding]:
    """Return text shown in another language than the one its lang attribute names.

    `typed` holds what the resident entered or their card says (their language, not the
    page's; the app may show it in katakana or full width);
    `names` maps each language's name for itself (e.g. '日本語') to its lang tag.
    """
    findings = []
    theirs = [_fold(text) for text in typed if text.strip()]
    for run in facts["textRuns"]:
        shown = _fold(run["text"])
        if any(text in shown or shown in text for text in theirs):
            continue
        wanted = _wanted_lang(run, names)
        if wanted:
            findings.append(
                Finding(
                    where,
                    "3.1.2",
                    "lang-of-parts",
                    run["element"],
                    f"{run['text'][:80]!r} is written in another language than its "
                    f"lang={run['lang']!r}",
                    _fix(run, wanted),
                )
            )
    return findings


def _fix(run: TextRun, wanted: str) -> str:
    if run["element"].startswith(("option", "optgroup")):
        # an <option> holds text only: no element can mark a part of it
        return (
            "an option of a drop-down list cannot mark part of its text; ask the question "
            "with radio buttons (`type: radio`), whose labels can, or leave the words in "
            "the other language out of this translation"
        )
    return f'mark the element holding it with lang="{wanted}"'


def _fold(text: str) -> str:
    """Return `text` in NFKC, katakana for hiragana, without spaces (to match what was typed)."""
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in folded)
    return "".join(folded.split())


def _wanted_lang(run: TextRun, names: dict[str, str]) -> str | None:
    own = primary(run["lang"])
    if run["text"] in names:
        tag = names[run["text"]]
        return tag if primary(tag) != own else None
    for _name, pattern, languages, suggestion in SCRIPTS:
        if pattern.search(run["text"]):
            return None if own in languages else suggestion
    return None
