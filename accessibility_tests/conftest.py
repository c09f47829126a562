"""Fixtures of the accessibility gate: the portal on a free port, both browsers, the walks,
and the JIS report written at the end of every run that audited the portal."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from accessibility_tests import audits, axe, crawl, markup
from accessibility_tests.audits import PageRecord
from accessibility_tests.browsers import playwright_chromium, selenium_chromium
from accessibility_tests.inventory import Inventory
from accessibility_tests.journey import Visit
from accessibility_tests.report import Ledger
from accessibility_tests.server import serving_app, serving_folder
from accessibility_tests.subject import Subject, build
from accessibility_tests.toolchain import HERE, REPORT_DIR, engine_version
from accessibility_tests.walk import WalkResult

LEDGER = pytest.StashKey[Ledger]()
SUBJECT = pytest.StashKey[Subject]()
REPORT = pytest.StashKey[Path]()


def subject(config: pytest.Config) -> Subject:
    """Return the portal under audit, built once per run (collection needs its journeys)."""
    if SUBJECT not in config.stash:
        config.stash[SUBJECT] = build()
    return config.stash[SUBJECT]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "wcag(*numbers): the JIS X 8341-3 / WCAG 2.0 success criteria a test checks"
    )
    config.stash[LEDGER] = Ledger()


def pytest_unconfigure(config: pytest.Config) -> None:
    if SUBJECT in config.stash:
        config.stash[SUBJECT].close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize the audits by what the procedure definitions give: visits, locales, ids."""
    wanted = {
        "visit",
        "playwright_axe_visit",
        "selenium_axe_visit",
        "error_visit",
        "served_visit",
        "check_visit",
        "locale",
        "procedure_id",
    } & set(metafunc.fixturenames)
    if not wanted:
        return
    audited = subject(metafunc.config)
    visits = audited.visits()
    harnesses = crawl.harness_locales(audited.journeys)
    values: dict[str, list[Any]] = {
        "visit": visits,
        "playwright_axe_visit": [v for v in visits if v.locale in harnesses["playwright"]],
        "selenium_axe_visit": [v for v in visits if v.locale in harnesses["selenium"]],
        "error_visit": [v for v in visits if v.state.startswith("error")],
        "served_visit": [v for v in visits if v.state != "filled"],
        "check_visit": [
            v
            for v in visits
            if v.procedure and v.path.endswith("/check") and v.state == "shown" and not v.variant
        ],
        "locale": crawl.locales(audited.app),
        "procedure_id": [p.id for p in crawl.procedures(audited.app)],
    }
    for name in wanted:
        metafunc.parametrize(
            name, values[name], ids=[v.id if isinstance(v, Visit) else str(v) for v in values[name]]
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    marker = item.get_closest_marker("wcag")
    if marker is not None and (
        report.when == "call" or (report.when == "setup" and not report.passed)
    ):
        item.config.stash[LEDGER].record_outcome(tuple(marker.args), report.outcome)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    ledger = session.config.stash[LEDGER]
    if ledger.urls:  # the portal was walked: this run audited it
        session.config.stash[REPORT] = ledger.write(REPORT_DIR)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if REPORT in config.stash:
        ledger = config.stash[LEDGER]
        states = len(ledger.urls)
        spent = ", ".join(f"{name} {seconds} s" for name, seconds in ledger.seconds.items())
        terminalreporter.write_line(f"accessibility audit: {states} page states; {spent}")
        terminalreporter.write_line(f"JIS X 8341-3:2016 report: {config.stash[REPORT]}")


@pytest.fixture(scope="session")
def ledger(pytestconfig: pytest.Config) -> Ledger:
    """Return what this run has found so far, for the report."""
    return pytestconfig.stash[LEDGER]


@pytest.fixture(scope="session")
def portal(pytestconfig: pytest.Config) -> Subject:
    """Return the portal under audit."""
    return subject(pytestconfig)


@pytest.fixture(scope="session")
def base_url(portal: Subject, ledger: Ledger) -> Iterator[str]:
    """Serve the portal on a free port for the whole run."""
    with serving_app(portal.app, portal.port) as url:
        ledger.target = url
        yield url


@pytest.fixture(scope="session")
def browser(ledger: Ledger) -> Iterator[Browser]:
    """Launch one Playwright chromium for the whole run."""
    with playwright_chromium() as (_playwright, launched):
        ledger.tools.update(
            {
                "axe-core": engine_version("axe-core"),
                "Nu HTML Checker (vnu-jar)": engine_version("vnu-jar"),
                "Chromium": launched.version,
                "Playwright (Python)": version("playwright"),
                "Selenium": version("selenium"),
                "axe-selenium-python": version("axe-selenium-python"),
            }
        )
        yield launched


@pytest.fixture(scope="session")
def selenium_run(portal: Subject, ledger: Ledger) -> Iterator[Future[WalkResult[PageRecord]]]:
    """Start the Selenium walk in the background (so both harnesses run side by side), on an
    instance of the portal of its own, over the locales Selenium walks."""
    own = portal.instance_for("selenium")
    ours = crawl.harness_locales(portal.journeys)["selenium"]
    journeys = [journey for journey in portal.journeys if journey.locale in ours]

    def run() -> WalkResult[PageRecord]:
        started = time.monotonic()
        with serving_app(own.app, own.port) as url, selenium_chromium() as driver:
            result = audits.selenium_walk(driver, url, journeys, own.arrange)
        ledger.seconds["Selenium walk"] = round(time.monotonic() - started, 1)
        return result

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="selenium") as pool:
        yield pool.submit(run)


@pytest.fixture(scope="session")
def records(
    portal: Subject,
    base_url: str,
    browser: Browser,
    ledger: Ledger,
    selenium_run: Future[WalkResult[PageRecord]],
) -> WalkResult[PageRecord]:
    """Return what was read at every visit: Playwright walks its locales here while the
    Selenium walk runs alongside; each locale is walked by one of them, with every check."""
    ours = crawl.harness_locales(portal.journeys)["playwright"]
    started = time.monotonic()
    result = audits.playwright_walk(
        browser,
        base_url,
        [journey for journey in portal.journeys if journey.locale in ours],
        arrange=portal.arrange,
    )
    ledger.seconds["Playwright walk"] = round(time.monotonic() - started, 1)
    other = selenium_run.result()
    result.audits.update(other.audits)
    result.unreached.update(other.unreached)
    result.urls.update(other.urls)
    ledger.urls.update(result.urls)
    ledger.inventory = Inventory()
    for record in result.audits.values():
        ledger.inventory.add(record.where.url, record.facts)
        ledger.reviews.extend(axe.reviews(record.axe, record.where))
    return result


@pytest.fixture(scope="session")
def markup_errors(
    records: WalkResult[PageRecord], ledger: Ledger
) -> dict[str, list[markup.Message]]:
    """Return the Nu HTML Checker's errors for the source of every served visit."""
    started = time.monotonic()
    sources = {
        key: record.source for key, record in records.audits.items() if record.source is not None
    }
    errors = markup.validate(sources)
    ledger.seconds["Nu HTML Checker"] = round(time.monotonic() - started, 1)
    return errors


@pytest.fixture(scope="session")
def fixture_pages() -> Iterator[str]:
    """Serve the self-test pages with known barriers."""
    with serving_folder(HERE / "fixtures") as url:
        yield url
