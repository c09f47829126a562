"""What each harness records at every visit, and the walks that collect it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, BrowserContext
from selenium.webdriver.remote.webdriver import WebDriver

from accessibility_tests import axe, focus, reflow, snapshot
from accessibility_tests.browsers import DESKTOP
from accessibility_tests.findings import Finding, Where
from accessibility_tests.journey import Journey, Visit
from accessibility_tests.snapshot import Facts
from accessibility_tests.tabs import PlaywrightTab, SeleniumTab, accept_language
from accessibility_tests.walk import Tab, WalkResult, walk


@dataclass(frozen=True)
class PageRecord:
    """Everything the Playwright harness read at one visit."""

    where: Where
    facts: Facts
    axe: dict[str, Any] | None  # None where only the Selenium harness runs axe
    focus: list[Finding]
    reflow: list[Finding]
    source: str | None  # the HTML as served; None for states made in the browser ("filled")


def where_of(visit: Visit, url: str) -> Where:
    """Return the Where that findings about `visit` carry."""
    state = visit.state if not visit.variant else f"{visit.state}, answers {visit.variant + 1}"
    return Where(page=visit.page, state=state, locale=visit.locale, url=url)


def playwright_walk(
    browser: Browser,
    base_url: str,
    journeys: list[Journey],
    axe_locales: list[str],
    arrange: Callable[[str], None],
) -> WalkResult[PageRecord]:
    """Walk every journey in Playwright (one context per locale) and record each visit,
    running axe in `axe_locales` (the Selenium walk runs it in the others)."""
    contexts: dict[str, BrowserContext] = {}
    tabs: dict[str, PlaywrightTab] = {}
    focus_seen: set[str] = set()

    def tab_for(journey: Journey) -> Tab:
        if journey.locale not in tabs:
            # bypass_csp: the portal's CSP forbids inline scripts, and add_script_tag injects one
            contexts[journey.locale] = browser.new_context(
                bypass_csp=True, viewport=DESKTOP, locale=accept_language(journey.locale)
            )
            if journey.locale in axe_locales:
                axe.preload_playwright(contexts[journey.locale])
            tabs[journey.locale] = PlaywrightTab(contexts[journey.locale].new_page(), base_url)
        return tabs[journey.locale]

    def record(tab: Tab, visit: Visit) -> PageRecord:
        assert isinstance(tab, PlaywrightTab)
        where = where_of(visit, tab.url())
        facts = snapshot.read(tab.page)
        return PageRecord(
            where=where,
            facts=facts,
            axe=axe.run_playwright(tab.page) if visit.locale in axe_locales else None,
            focus=focus.check(tab.page, where, focus_seen),
            # filling in controls changes no layout: the state it was filled on was measured
            reflow=[] if visit.state == "filled" else reflow.check(tab.page, where),
            source=None if visit.state == "filled" else tab.source,
        )

    try:
        return walk(journeys, tab_for, record, arrange)
    finally:
        for context in contexts.values():
            context.close()


def selenium_walk(
    driver: WebDriver,
    base_url: str,
    journeys: list[Journey],
    axe_locales: list[str],
    arrange: Callable[[str], None],
) -> WalkResult[dict[str, Any] | None]:
    """Walk every journey in Selenium (new cookies per locale) and run axe at each visit in
    `axe_locales` (None at the others)."""
    tab = SeleniumTab(driver, base_url)
    axe.preload_selenium(driver)
    current: list[str] = []

    def tab_for(journey: Journey) -> Tab:
        if current != [journey.locale]:
            driver.delete_all_cookies()
            tab.speak(journey.locale)
            current[:] = [journey.locale]
        return tab

    def record(_tab: Tab, visit: Visit) -> dict[str, Any] | None:
        return axe.run_selenium(driver) if visit.locale in axe_locales else None

    return walk(journeys, tab_for, record, arrange)
