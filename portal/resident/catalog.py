"""The catalog: procedures grouped by category, filtered by a search, a page at a time.

A city with a handful of procedures sees them all on one page. With more, the catalog
shows a category index; choosing a category or searching lists the matches in pages of
PAGE_SIZE, so the page stays small (about 15 KB) however many procedures there are.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

import jaconv

from portal.procedure.compiled import once_per
from portal.procedure.model import Procedure
from portal.procedure.text import localize

#: procedures listed on one page of results
PAGE_SIZE = 20
#: up to this many procedures the catalog lists every one at once, without an index
LIST_ALL_UP_TO = 30


@dataclass(frozen=True)
class CatalogGroup:
    category: dict[str, str]
    procedures: list[Procedure]


@dataclass(frozen=True)
class CatalogCategory:
    """One entry of the category index: its key (the Japanese name), its text, how many."""

    key: str
    category: dict[str, str]
    count: int


@dataclass(frozen=True)
class Catalog:
    """What one catalog page shows."""

    groups: list[CatalogGroup]
    found_count: int
    index: list[CatalogCategory] = field(default_factory=list)
    category: CatalogCategory | None = None
    page: int = 1
    pages: int = 1

    @property
    def shown(self) -> list[Procedure]:
        """Return the procedures listed on this page."""
        return [procedure for group in self.groups for procedure in group.procedures]


def _fold(text: str) -> str:
    # Width, case and kana folded, so "ソダイ", "そだい" and "ｿﾀﾞｲ" find the same thing.
    return jaconv.kata2hira(unicodedata.normalize("NFKC", text)).casefold()


def _haystack(procedure: Procedure, locale: str) -> str:
    """Return the procedure's folded title, summary and category, worked out once."""
    return once_per(
        procedure,
        ("haystack", locale),
        lambda: _fold(
            " ".join(
                text
                for part in (procedure.title, procedure.summary, procedure.category)
                for text in {localize(part, locale).text, part["ja"]}
            )
        ),
    )


def prepare_search(procedures: list[Procedure], locales: list[str]) -> None:
    """Work out every procedure's search text in every language now, not on a first search.

    `portal serve` does it before its workers fork, so none of them makes a resident wait
    while it folds a thousand procedures' texts.
    """
    for procedure in procedures:
        for locale in locales:
            _haystack(procedure, locale)


def matches(procedure: Procedure, query: str, locale: str) -> bool:
    """Tell whether every word of `query` appears in the procedure's title, summary or category."""
    if not query:
        return True
    haystack = _haystack(procedure, locale)
    return all(_fold(word) in haystack for word in query.split())


def catalog_groups(procedures: list[Procedure], query: str, locale: str) -> list[CatalogGroup]:
    """Return the matching procedures, grouped by category in order of first appearance."""
    return _grouped([p for p in procedures if matches(p, query, locale)])


def _grouped(procedures: list[Procedure]) -> list[CatalogGroup]:
    groups: dict[str, list[Procedure]] = {}
    categories: dict[str, dict[str, str]] = {}
    for procedure in procedures:
        key = procedure.category["ja"]
        groups.setdefault(key, []).append(procedure)
        categories.setdefault(key, procedure.category)
    return [CatalogGroup(categories[key], items) for key, items in groups.items()]


def catalog_page(
    procedures: list[Procedure],
    query: str,
    locale: str,
    category: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
    list_all_up_to: int = LIST_ALL_UP_TO,
) -> Catalog:
    """Return the catalog page for a search `query`, a chosen `category` and a `page` number."""
    found = [p for p in procedures if matches(p, query, locale)]
    if not query and not category and len(procedures) <= list_all_up_to:
        return Catalog(_grouped(found), len(found))
    index = [
        CatalogCategory(group.category["ja"], group.category, len(group.procedures))
        for group in _grouped(found)
    ]
    chosen = next((entry for entry in index if entry.key == category), None)
    if chosen is None and not query:
        # The index alone: a category (or a search) lists procedures.
        return Catalog([], len(found), index, page=1, pages=1)
    if chosen is not None:
        found = [p for p in found if p.category["ja"] == chosen.key]
    ordered = [p for group in _grouped(found) for p in group.procedures]
    pages = max(1, math.ceil(len(ordered) / page_size))
    page = min(max(page, 1), pages)
    shown = ordered[(page - 1) * page_size : page * page_size]
    return Catalog(_grouped(shown), len(found), index, chosen, page, pages)
