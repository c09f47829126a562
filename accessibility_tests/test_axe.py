"""axe-core (pinned, wcag2a + wcag2aa) finds no violation at any visit: through Playwright in
the first locale, through axe-selenium-python in every other."""

from __future__ import annotations

from typing import Any

import pytest

from accessibility_tests import axe
from accessibility_tests.audits import PageRecord, where_of
from accessibility_tests.journey import Visit
from accessibility_tests.report import Ledger
from accessibility_tests.walk import WalkResult

AXE_CRITERIA = (
    "1.1.1",
    "1.3.1",
    "1.4.1",
    "1.4.3",
    "2.1.1",
    "2.4.1",
    "2.4.2",
    "2.4.4",
    "3.1.1",
    "3.3.2",
    "4.1.2",
)
pytestmark = [pytest.mark.browser, pytest.mark.wcag(*AXE_CRITERIA)]


def test_axe_finds_nothing_through_selenium(
    selenium_axe_visit: Visit, selenium_results: WalkResult[dict[str, Any] | None], ledger: Ledger
) -> None:
    visit = selenium_axe_visit
    results = selenium_results.reached(visit)
    assert results is not None, f"axe did not run at {visit.id}"
    ledger.assert_clean(axe.violations(results, where_of(visit, selenium_results.urls[visit.id])))


def test_axe_finds_nothing_through_playwright(
    playwright_axe_visit: Visit, playwright_results: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = playwright_results.reached(playwright_axe_visit)
    assert record.axe is not None, f"axe did not run at {playwright_axe_visit.id}"
    ledger.assert_clean(axe.violations(record.axe, record.where))
