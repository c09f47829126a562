"""Run the pinned axe-core in either harness and turn its results into findings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from axe_selenium_python import Axe
from playwright.sync_api import BrowserContext, Page
from selenium.webdriver.remote.webdriver import WebDriver

from accessibility_tests.criteria import from_axe_tags
from accessibility_tests.findings import Finding, Where
from accessibility_tests.toolchain import AXE_SCRIPT, engine_version, require

TAGS = ["wcag2a", "wcag2aa"]
OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": TAGS},
    "resultTypes": ["violations", "incomplete"],
}


@dataclass(frozen=True)
class Review:
    """An axe result a person must judge ('incomplete'), kept for the report."""

    where: Where
    criterion: str
    rule: str
    element: str
    question: str


LOADED = "typeof window.axe !== 'undefined'"


def preload_playwright(context: BrowserContext) -> None:
    """Have every page of `context` load the pinned axe-core as it opens.

    Injecting half a megabyte of script into each audited page costs more than the page
    itself; loaded with the page it is compiled once and cached.
    """
    context.add_init_script(path=str(require(AXE_SCRIPT)))


def preload_selenium(driver: WebDriver) -> None:
    """Have every page `driver` opens load the pinned axe-core (see preload_playwright)."""
    source = require(AXE_SCRIPT).read_text(encoding="utf-8")
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})


def run_playwright(page: Page) -> dict[str, Any]:
    """Run the pinned axe-core in `page`, injecting it unless the page loaded it."""
    if not page.evaluate(LOADED):
        page.add_script_tag(path=str(require(AXE_SCRIPT)))
    return _checked(page.evaluate("options => axe.run(document, options)", OPTIONS))


def run_selenium(driver: WebDriver) -> dict[str, Any]:
    """Run the pinned axe-core with axe-selenium-python, injecting it unless the page loaded it."""
    axe = Axe(driver, script_url=str(require(AXE_SCRIPT)))
    if not driver.execute_script(f"return {LOADED};"):
        axe.inject()
    return _checked(axe.run(options=json.dumps(OPTIONS)))


def _checked(results: dict[str, Any]) -> dict[str, Any]:
    ran = results["testEngine"]["version"]
    pinned = engine_version("axe-core")
    if ran != pinned:
        raise RuntimeError(f"axe-core {ran} ran instead of the pinned {pinned}")
    return results


def violations(results: dict[str, Any], where: Where) -> list[Finding]:
    """Return one finding per element that breaks an axe rule."""
    return [
        Finding(
            where=where,
            criterion=_criterion(rule),
            rule=f"axe {rule['id']}",
            element=_element(node),
            problem=f"{rule['help']} (impact: {node.get('impact') or rule.get('impact')})",
            fix=f"{_summary(node)} See {rule['helpUrl']}",
        )
        for rule in results["violations"]
        for node in rule["nodes"]
    ]


def reviews(results: dict[str, Any], where: Where) -> list[Review]:
    """Return what axe could not decide, for a person to review."""
    return [
        Review(where, _criterion(rule), rule["id"], _element(node), _summary(node) or rule["help"])
        for rule in results["incomplete"]
        for node in rule["nodes"]
    ]


def _criterion(rule: dict[str, Any]) -> str:
    found = from_axe_tags(rule["tags"])
    # Every wcag2a/wcag2aa rule of axe 4.x names a criterion; 4.1.2 takes a future one without.
    return found[0].number if found else "4.1.2"


def _element(node: dict[str, Any]) -> str:
    target = " ".join(str(part) for part in node["target"])
    return f"{target} {node['html'][:160]}"


def _summary(node: dict[str, Any]) -> str:
    return " ".join(str(node.get("failureSummary") or "").split())
