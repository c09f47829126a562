"""The catalog: procedures grouped by category, filtered by a search."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import jaconv

from portal.procedure.model import Procedure
from portal.procedure.text import localize


@dataclass(frozen=True)
class CatalogGroup:
    category: dict[str, str]
    procedures: list[Procedure]


def _fold(text: str) -> str:
    # Width, case and kana folded, so "ソダイ", "そだい" and "ｿﾀﾞｲ" find the same thing.
    return jaconv.kata2hira(unicodedata.normalize("NFKC", text)).casefold()


def matches(procedure: Procedure, query: str, locale: str) -> bool:
    """Tell whether every word of `query` appears in the procedure's title, summary or category."""
    if not query:
        return True
    haystack = " ".join(
        text
        for part in (procedure.title, procedure.summary, procedure.category)
        for text in {localize(part, locale).text, part["ja"]}
    )
    folded = _fold(haystack)
    return all(_fold(word) in folded for word in query.split())


def catalog_groups(procedures: list[Procedure], query: str, locale: str) -> list[CatalogGroup]:
    """Return the matching procedures, grouped by category in order of first appearance."""
    groups: dict[str, list[Procedure]] = {}
    categories: dict[str, dict[str, str]] = {}
    for procedure in procedures:
        if matches(procedure, query, locale):
            key = procedure.category["ja"]
            groups.setdefault(key, []).append(procedure)
            categories.setdefault(key, procedure.category)
    return [CatalogGroup(categories[key], items) for key, items in groups.items()]
