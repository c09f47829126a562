"""The fallback notice names the same languages whether texts are walked once or every time."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, g

from portal import i18n
from portal.locales import BY_CODE
from portal.procedure.loader import load_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "procedures").glob("*.yaml"))
HALF_TRANSLATED = """\
id: half
category: {ja: 手続, en: Procedures}
title: {ja: 半分だけ, en: Half}
summary: 英語の無い説明
contact: {department: 市民局}
pages:
  - id: one
    title: {ja: 一, ko: 일}
    fields:
      - {id: name, type: text, label: {ja: お名前, en: Name, es: ""}}
"""


@pytest.mark.parametrize("path", SAMPLES + ["half"], ids=lambda p: getattr(p, "name", p))
@pytest.mark.parametrize("locale", list(BY_CODE))
def test_procedure_fallback_languages_are_those_of_its_texts(path, locale, tmp_path):
    if path == "half":
        path = tmp_path / "half.yaml"
        path.write_text(HALF_TRANSLATED, encoding="utf-8")
    procedure = load_file(path)
    with Flask(__name__).app_context():
        g.portal_locale = locale
        expected = i18n.fallback_languages(procedure.texts())
        assert i18n.procedure_fallback_languages(procedure) == expected
        assert i18n.procedure_fallback_languages(procedure) == expected  # from the cache


def test_a_half_translated_procedure_names_its_fallback(tmp_path):
    path = tmp_path / "half.yaml"
    path.write_text(HALF_TRANSLATED, encoding="utf-8")
    with Flask(__name__).app_context():
        g.portal_locale = "en"
        assert i18n.procedure_fallback_languages(load_file(path)) == [BY_CODE["ja"].name]
