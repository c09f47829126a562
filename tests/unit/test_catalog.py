"""The catalog service: everything at once for a few procedures, an index and pages for many."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.procedure.loader import load_file
from portal.resident.catalog import catalog_page

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [load_file(path) for path in sorted((ROOT / "procedures").glob("*.yaml"))]


def many(count: int):
    """Return `count` procedures: the samples over and over, each with its own id."""
    return [SAMPLES[n % len(SAMPLES)].model_copy(update={"id": f"p-{n:04d}"}) for n in range(count)]


def test_a_few_procedures_are_all_listed_by_category_without_an_index():
    page = catalog_page(SAMPLES, "", "ja")
    assert len(page.shown) == len(SAMPLES) and page.index == [] and page.pages == 1


def test_many_procedures_show_the_category_index_alone():
    procedures = many(100)
    page = catalog_page(procedures, "", "ja", list_all_up_to=30)
    assert page.shown == []
    assert sum(entry.count for entry in page.index) == 100
    assert {entry.key for entry in page.index} == {p.category["ja"] for p in SAMPLES}


def test_a_category_lists_its_procedures_a_page_at_a_time():
    procedures = many(100)
    key = SAMPLES[0].category["ja"]
    in_category = [p.id for p in procedures if p.category["ja"] == key]
    pages = [
        catalog_page(procedures, "", "ja", category=key, page=n, page_size=7) for n in (1, 2, 3)
    ]
    assert pages[0].pages == -(-len(in_category) // 7)
    listed = [p.id for page in pages[: pages[0].pages] for p in page.shown]
    assert sorted(listed) == sorted(in_category)[: len(listed)]
    assert all(len(page.shown) <= 7 for page in pages)
    assert pages[0].category.key == key and pages[0].found_count == len(in_category)


@pytest.mark.parametrize("asked", [0, -3, 999])
def test_a_page_number_out_of_range_shows_the_nearest_page(asked):
    page = catalog_page(many(100), "", "ja", category=SAMPLES[0].category["ja"], page=asked)
    assert 1 <= page.page <= page.pages and page.shown


def test_a_search_lists_matches_across_categories_with_their_counts():
    procedures = many(100)
    title = SAMPLES[1].title["ja"]
    page = catalog_page(procedures, title, "ja", page_size=1000)
    assert page.found_count == len(page.shown) > 0
    assert all(p.title["ja"] == title or title in p.summary["ja"] for p in page.shown)
    assert sum(entry.count for entry in page.index) == page.found_count


def test_an_unknown_category_shows_the_index():
    page = catalog_page(many(100), "", "ja", category="存在しない分野")
    assert page.shown == [] and page.index
