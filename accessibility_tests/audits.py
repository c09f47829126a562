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
from accessibility_tests.tabs import PlaywrightTab, SeleniumTab, Tab, accept_language
from accessibility_tests.walk import WalkResult, walk


@dataclass(frozen=True)
class PageRecord:
    """Everything a harness read at one visit."""

    where: Where
    facts: Facts
    axe: dict[str, Any]
    focus: list[Finding]
    reflow: list[Finding]
    source: str | None  # the HTML as served; None for states made in the browser ("filled")


def where_of(visit: Visit, url: str) -> Where:
    """Return the Where that findings about `visit` carry."""
    state = visit.state if not visit.variant else f"{visit.state}, answers {visit.variant + 1}"
    return Where(page=visit.page, state=state, locale=visit.locale, url=url)


def recorder(run_axe: Callable[[Tab], dict[str, Any]]) -> Callable[[Tab, Visit], PageRecord]:
    """Return the audit of a visit in one harness: every check, axe through `run_axe`."""
    focus_seen: set[str] = set()

    def record(tab: Tab, visit: Visit) -> PageRecord:
        where = where_of(visit, tab.url())
        return PageRecord(
            where=where,
            facts=snapshot.read(tab),
            axe=run_axe(tab),
            focus=focus.check(tab, where, focus_seen),
            # filling in controls changes no layout: the state it was filled on was measured
            reflow=[] if visit.state == "filled" else reflow.check(tab, where),
            source=None if visit.state == "filled" else tab.source,
        )

    return record


def playwright_walk(
    browser: Browser,
    base_url: str,
    journeys: list[Journey],
    arrange: Callable[[str], str | None],
) -> WalkResult[PageRecord]:
    """Walk `journeys` in Playwright (one context per locale), recording each visit with axe
    run through Playwright."""
    contexts: dict[str, BrowserContext] = {}
    tabs: dict[str, PlaywrightTab] = {}

    def tab_for(journey: Journey) -> Tab:
        if journey.locale not in tabs:
            # bypass_csp: the portal's CSP forbids inline scripts, and add_script_tag injects one
            contexts[journey.locale] = browser.new_context(
                bypass_csp=True, viewport=DESKTOP, locale=accept_language(journey.locale)
            )
            axe.preload_playwright(contexts[journey.locale])
            tabs[journey.locale] = PlaywrightTab(contexts[journey.locale].new_page(), base_url)
        return tabs[journey.locale]

    def run_axe(tab: Tab) -> dict[str, Any]:
        assert isinstance(tab, PlaywrightTab)
        return axe.run_playwright(tab.page)

    try:
        return walk(journeys, tab_for, recorder(run_axe), arrange)
    finally:
        for context in contexts.values():
            context.close()


def selenium_walk(
    driver: WebDriver,
    base_url: str,
    journeys: list[Journey],
    arrange: Callable[[str], str | None],
) -> WalkResult[PageRecord]:
    """Walk `journeys` in Selenium (new cookies per locale), recording each visit with axe run
    through axe-selenium-python."""
    tab = SeleniumTab(driver, base_url)
    axe.preload_selenium(driver)
    current: list[str] = []

    def tab_for(journey: Journey) -> Tab:
        if current != [journey.locale]:
            driver.delete_all_cookies()
            tab.speak(journey.locale)
            current[:] = [journey.locale]
        return tab

    return walk(journeys, tab_for, recorder(lambda _tab: axe.run_selenium(driver)), arrange)
