"""The catalog of a city with hundreds of procedures: small pages, an index, paging, no script."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ID_LINE = re.compile(r"^id: (\S+)$", re.MULTILINE)
COUNT = 150


@pytest.fixture
def database_url(sqlite_url):
    """Run on SQLite alone: the catalog reads no stored data but event counters."""
    return sqlite_url


@pytest.fixture(scope="module")
def procedures_dir(tmp_path_factory) -> Path:
    """COUNT procedure files, written once (so parsed once) for the module."""
    folder = tmp_path_factory.mktemp("procedures")
    samples = sorted((ROOT / "procedures").glob("*.yaml"))
    for number in range(COUNT):
        text = samples[number % len(samples)].read_text(encoding="utf-8")
        text = ID_LINE.sub(rf"id: \g<1>-{number:04d}", text, count=1)
        (folder / f"p{number:04d}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def app(make_app, procedures_dir):
    return make_app(PROCEDURES_DIR=str(procedures_dir), PORTAL_LOCALES=["ja", "en", "ja_easy"])


def links(html: str, pattern: str) -> list[str]:
    return [unescape(href) for href in re.findall(rf'href="(/\?[^"]*{pattern}[^"]*)"', html)]


@pytest.mark.parametrize("lang", ["ja", "en", "ja_easy"])
def test_every_catalog_page_stays_under_50_kb(client, lang):
    first = client.get(f"/?lang={lang}")
    pages = [first.data]
    for category in links(first.get_data(as_text=True), "category="):
        listing = client.get(category)
        pages.append(listing.data)
        for following in links(listing.get_data(as_text=True), "page="):
            pages.append(client.get(following).data)
    assert len(pages) > 5
    assert max(len(page) for page in pages) <= 50 * 1024


def test_the_index_names_each_category_with_how_many_procedures(client):
    html = client.get("/").get_data(as_text=True)
    assert '<h2 id="categories">分野</h2>' in html
    counts = [int(n) for n in re.findall(r"</a> \((\d+)\)</li>", html)]
    assert sum(counts) == COUNT
    assert "/procedures/" not in html.split("<main", 1)[1]


def test_paging_through_a_category_reaches_every_procedure_in_it_once(client, app):
    html = client.get("/").get_data(as_text=True)
    category = links(html, "category=")[0]
    seen: list[str] = []
    page = client.get(category).get_data(as_text=True)
    while True:
        seen += re.findall(r'<a href="/procedures/([^"]+)">', page)
        following = re.search(r'<a rel="next" href="([^"]+)"', page)
        if not following:
            break
        page = client.get(unescape(following.group(1))).get_data(as_text=True)
    key = app.extensions["portal.procedures"].get(seen[0]).category["ja"]
    expected = [p.id for p in app.extensions["portal.procedures"].all() if p.category["ja"] == key]
    assert sorted(seen) == sorted(expected)


def test_a_search_within_a_category_keeps_the_category(client):
    html = client.get("/").get_data(as_text=True)
    category = links(html, "category=")[0]
    listing = client.get(category).get_data(as_text=True)
    assert re.search(r'<input type="hidden" name="category" value="[^"]+">', listing)
    assert 'aria-current="page"' in listing
