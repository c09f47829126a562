"""Every procedure, and the status lookup, completed with the keyboard alone."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from accessibility_tests import answers, crawl, journey, keyboard, resume_links, subject
from accessibility_tests.browsers import DESKTOP
from accessibility_tests.findings import Finding, Where
from accessibility_tests.report import Ledger
from accessibility_tests.server import serving_app
from accessibility_tests.subject import Instance, Subject
from accessibility_tests.walk import REFERENCE_NUMBER

pytestmark = [
    pytest.mark.browser,
    pytest.mark.wcag("2.1.1", "2.1.2", "2.4.1", "2.4.3", "3.2.1", "3.2.2"),
]
Route = list[tuple[str, dict[str, str | list[str]], str | None]]


def test_every_procedure_can_be_completed_with_the_keyboard(
    procedure_id: str, portal: Subject, base_url: str, browser: Browser, ledger: Ledger
) -> None:
    locale = crawl.locales(portal.app)[0]
    findings = complete_with_keyboard(portal.main, base_url, browser, procedure_id, locale)
    ledger.assert_clean(findings)


@pytest.mark.parametrize("enabled", [["ja"], ["ja", "ja_easy"]], ids=["ja", "ja+ja_easy"])
def test_a_procedure_can_be_completed_with_the_keyboard_when_one_language_is_audited_fully(
    enabled: list[str], browser: Browser
) -> None:
    # Regression: with a single full locale, the plan put language switches between each page
    # and its button, and the keyboard journey stopped at the start page.
    alone = subject.instance(PORTAL_LOCALES=enabled)
    try:
        procedure_id = smallest_open_procedure(alone.app)
        with serving_app(alone.app, alone.port) as url:
            findings = complete_with_keyboard(alone, url, browser, procedure_id, "ja")
    finally:
        alone.close()
    assert findings == []


def test_saving_for_later_and_continuing_in_another_browser_work_with_the_keyboard(
    portal: Subject, base_url: str, browser: Browser, ledger: Ledger
) -> None:
    locale = crawl.locales(portal.app)[0]
    planned = crawl.save_and_return_journeys(portal.app, locale, crawl.now_of(portal.app))
    if not planned:
        pytest.skip("no open procedure without a sign-in to save")
    procedure_id = planned[0].visits()[0].procedure
    procedure = portal.app.extensions["portal.procedures"].get(procedure_id)
    base, first = (
        f"/procedures/{procedure_id}",
        f"/procedures/{procedure_id}/{procedure.pages[0].id}",
    )
    saving: Route = [
        (base, {}, journey.START_BUTTON),
        (first, {}, journey.SAVE_BUTTON),
        (f"{base}/save-for-later", {"email": crawl.RESUME_EMAIL}, journey.SUBMIT_BUTTON),
        (f"{base}/save-for-later/sent", {}, None),
    ]
    findings = _in_a_browser(browser, f"{base_url}{base}?lang={locale}", saving, locale)
    if not findings:
        link = portal.arrange(resume_links.target(procedure_id, "newest"))
        continuing: Route = [("/resume", {}, journey.CONTINUE_BUTTON), (first, {}, None)]
        findings = _in_a_browser(browser, f"{base_url}{link}", continuing, locale)
    ledger.assert_clean(findings)


def _in_a_browser(browser: Browser, url: str, route: Route, locale: str) -> list[Finding]:
    """Open `url` in a browser of its own (own cookies) and follow `route` by keyboard."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(url)
        return _follow(page, route, locale)
    finally:
        context.close()


def smallest_open_procedure(app) -> str:
    now = crawl.now_of(app)
    open_now = [
        p for p in crawl.procedures(app) if p.window.state(now) == "open" and p.identity == "none"
    ]
    return min(open_now, key=lambda p: (len(p.pages), p.id)).id


def complete_with_keyboard(
    portal: Instance,
    base_url: str,
    browser: Browser,
    procedure_id: str,
    locale: str,
) -> list[Finding]:
    """Complete `procedure_id` with the keyboard alone, then look its status up; return the
    barriers met (skips when the procedure takes no applications now).

    The route is every page of the procedure, whatever the audit plan audits of it.
    """
    token = uuid.uuid4().hex[:10]
    journeys = crawl.locale_journeys(portal.app, locale, crawl.now_of(portal.app))
    chosen = journey.journey_of(journeys, locale, procedure_id)
    route = [
        (
            path,
            {name: answers.personalised(value, token) for name, value in given.items()},
            button,
        )
        for path, given, button in journey.keyboard_route(chosen)
    ]
    for step in chosen.steps:
        if step.action == "arrange":  # an event's seats: open, whatever the walks left
            portal.arrange(step.target)
    if len(route) < 2:
        pytest.skip(f"{procedure_id} takes no applications now (its window is not open)")
    procedure = portal.app.extensions["portal.procedures"].get(procedure_id)
    context = browser.new_context(viewport=DESKTOP)  # the portal's own CSP applies here
    try:
        page = context.new_page()
        page.goto(f"{base_url}{route[0][0]}?lang={locale}")
        findings = _follow(page, route, locale)
        reference = REFERENCE_NUMBER.search(page.inner_text("main"))
        if not findings and reference is None:
            findings = [
                _finding(page, locale, "the keyboard journey ended without a reference number")
            ]
        if not findings and reference and procedure.notify is not None:
            email = answers.personalised(
                answers.sample_answers(procedure)[procedure.notify.email_field], token
            )
            page.goto(f"{base_url}/status?lang={locale}")
            findings = _follow(
                page,
                [
                    (
                        "/status",
                        {"reference_number": reference.group(), "email": email},
                        journey.SUBMIT_BUTTON,
                    ),
                    ("/status/result", {}, None),
                ],
                locale,
            )
    finally:
        context.close()
    return findings


def _follow(page: Page, route: Route, locale: str) -> list[Finding]:
    """Use each page of `route` with the keyboard; stop at the first barrier."""
    for path, given, button in route:
        if urlsplit(page.url).path != path:
            return [
                _finding(page, locale, f"the keyboard journey arrived at {page.url}, not {path}")
            ]
        where = Where(page=path, state="keyboard only", locale=locale, url=page.url)
        findings = keyboard.audit_and_complete(page, where, given, button)
        if findings:
            return findings
    return []


def _finding(page: Page, locale: str, problem: str) -> Finding:
    where = Where(page=urlsplit(page.url).path, state="keyboard only", locale=locale, url=page.url)
    return Finding(
        where,
        "2.1.1",
        "keyboard-journey",
        "form",
        problem,
        "make Enter on each page's button submit its form as a click does",
    )
