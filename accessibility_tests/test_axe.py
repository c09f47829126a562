"""axe-core (pinned, wcag2a + wcag2aa) finds no violation at any visit: through Playwright in
the locales the Playwright harness walks, through axe-selenium-python in the others."""

from __future__ import annotations

import pytest

from accessibility_tests import axe
from accessibility_tests.audits import PageRecord
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
    selenium_axe_visit: Visit, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = records.reached(selenium_axe_visit)
    ledger.assert_clean(axe.violations(record.axe, record.where))


def test_axe_finds_nothing_through_playwright(
    playwright_axe_visit: Visit, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = records.reached(playwright_axe_visit)
    ledger.assert_clean(axe.violations(record.axe, record.where))
