"""The UI catalogues: current with the code, complete in every language, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal import catalogues
from portal.locales import LANGUAGES

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _messages(path: Path):
    with path.open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def test_template_is_current_with_the_code(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogues, "TEMPLATE", tmp_path / "messages.pot")
    catalogues.extract()
    fresh = {
        m.id if isinstance(m.id, str) else m.id[0] for m in _messages(tmp_path / "messages.pot")
    }
    committed = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in _messages(catalogues.DIRECTORY / "messages.pot")
    }
    assert fresh == committed, (
        f"translations/messages.pot is stale: run `make translations` "
        f"(new: {sorted(fresh - committed)[:5]}, gone: {sorted(committed - fresh)[:5]})"
    )


@pytest.mark.parametrize("code", [language.code for language in LANGUAGES])
def test_catalogue_is_complete_with_the_same_placeholders(code):
    path = catalogues.DIRECTORY / code / "LC_MESSAGES" / "messages.po"
    template = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in _messages(catalogues.DIRECTORY / "messages.pot")
    }
    problems = []
    seen = set()
    for message in _messages(path):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        seen.add(ids[0])
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) - wanted or (
                not isinstance(message.id, tuple) and set(PLACEHOLDER.findall(string)) != wanted
            ):
                problems.append(f"placeholders differ: {ids[0]!r} → {string!r}")
    problems += [f"missing: {msgid!r}" for msgid in sorted(template - seen)]
    assert not problems, f"{code}: {len(problems)} problem(s), e.g. " + "; ".join(problems[:8])
