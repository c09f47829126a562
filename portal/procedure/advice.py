"""What the staff guide advises against: warnings `portal check` prints (errors with --strict).

Each is a Finding (where, what to do); none stops a procedure from being served.
"""

from __future__ import annotations

import re
from pathlib import Path

from portal.procedure.fields import kind_of
from portal.procedure.findings import Finding, Location
from portal.procedure.model import Procedure
from portal.procedure.text import FURIGANA

#: kana (hiragana, katakana) and the CJK ideographs Japanese uses
_JAPANESE = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")  # not ・
#: Japanese a translation may keep: a name in brackets or quotes, as the guide shows —
#: "Asahi Ward Office (旭区役所)", 「粗大ごみ」
_KEPT_JAPANESE = re.compile(
    r"\([^()]*\)|（[^（）]*）|「[^「」]*」|『[^『』]*』|\"[^\"]*\"|“[^“”]*”|‘[^‘’]*’"
)
#: languages whose texts should hold no Japanese (Chinese uses kanji: not checked)
_LATIN_OR_OTHER = ("en", "vi", "tl", "pt_BR", "es", "ko", "ne")


def advise(procedure: Procedure) -> list[Finding]:
    """Return the guide's advice that `procedure` does not follow (its file's name aside)."""
    found: list[Finding] = []
    for p, page in enumerate(procedure.pages):
        for f, field in enumerate(page.fields):
            found += kind_of(field).advice(field, ("pages", p, "fields", f))
    found += _text_advice(procedure)
    return found


def file_name_advice(procedure: Procedure, path: Path) -> str | None:
    """Return the advice on the name of the file `procedure` is written in, if any."""
    if path.stem == procedure.id:
        return None
    return (
        f"the file is called {path.name!r} but the id is {procedure.id!r}; "
        f"name the file {procedure.id}.yaml so staff find it"
    )


def _text_advice(procedure: Procedure) -> list[Finding]:
    found: list[Finding] = []
    for at, text in _texts_with_locations(procedure):
        for locale, words in text.items():
            where = (*at, locale)
            if locale in _LATIN_OR_OTHER and _JAPANESE.search(_KEPT_JAPANESE.sub("", words)):
                found.append(
                    Finding(
                        where,
                        f"the {locale} text has Japanese in it ({words[:30]!r}); translate it, "
                        "or leave the language out so the Japanese is shown marked as Japanese",
                    )
                )
            if _unbalanced(words):
                found.append(
                    Finding(
                        where,
                        "furigana is written {漢字|かんじ}: a brace or bar is unbalanced here",
                    )
                )
    return found


def _unbalanced(words: str) -> bool:
    rest = FURIGANA.sub("", words)
    return "{" in rest or "}" in rest


def _texts_with_locations(node, at: Location = ()):
    """Yield (location, text map) for every staff text in the procedure, as written."""
    from pydantic import BaseModel

    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            yield from _texts_with_locations(getattr(node, name), (*at, info.alias or name))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _texts_with_locations(item, (*at, i))
    elif isinstance(node, dict) and node and all(isinstance(v, str) for v in node.values()):
        yield at, node
