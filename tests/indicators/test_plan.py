"""The plan's indicators: procedures online, strict-ID ones, use per fiscal year, in every language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from portal.indicators.open_data import suppressed
from portal.indicators.plan import FiscalYear
from portal.locales import LANGUAGES

SAMPLES = Path(__file__).resolve().parents[2] / "procedures"


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2027, 1, 15), 2026)],
)
def test_a_fiscal_year_runs_from_april_to_march(day, year):
    fiscal_year = FiscalYear.of(day)
    assert fiscal_year.year == year
    assert (fiscal_year.start, fiscal_year.end) == (date(year, 4, 1), date(year + 1, 3, 31))


@pytest.mark.parametrize(
    ("count", "published"), [(0, 0), (1, None), (9, None), (10, 10), (250, 250)]
)
def test_counts_from_one_to_nine_are_suppressed(count, published):
    assert suppressed(count) == published


def test_the_samples_count_their_strict_id_procedures(make_app):
    app = make_app(PROCEDURES_DIR=str(SAMPLES))
    served = app.extensions["portal.procedures"].all()
    strict = sum(1 for p in served if p.identity == "mynumber")
    assert strict >= 1  # the samples have a My Number card procedure
    html = app.test_client().get("/indicators?lang=en").get_data(as_text=True)
    figures = html.split('class="figures"', 1)[1].split("</dl>", 1)[0]
    assert f"<dd>{len(served)}</dd>" in figures and f"<dd>{strict}</dd>" in figures


@pytest.mark.parametrize("language", [language.code for language in LANGUAGES])
def test_the_public_pages_are_translated_into_every_language(make_app, language):
    app = make_app(PORTAL_LOCALES=[language.code for language in LANGUAGES])
    client = app.test_client()  # every page is held to the page invariants
    for path in ("/indicators", "/open-data/"):
        response = client.get(f"{path}?lang={language}")
        assert response.status_code == 200
        if language not in ("en",):
            assert "Online procedures in figures" not in response.get_data(as_text=True)
