"""Across visits: unique titles, consistent navigation, check answers, time limits."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from accessibility_tests import check_answers, crawl, journey, navigation, timing, titles
from accessibility_tests.audits import PageRecord
from accessibility_tests.findings import Where
from accessibility_tests.journey import Visit
from accessibility_tests.report import Ledger
from accessibility_tests.subject import Subject
from accessibility_tests.walk import WalkResult


def _records(
    portal: Subject, result: WalkResult[PageRecord], locale: str
) -> list[tuple[str, PageRecord]]:
    return [
        (visit.page, result.audits[visit.id])
        for visit in portal.visits()
        if visit.locale == locale and visit.id in result.audits
    ]


@pytest.mark.browser
@pytest.mark.wcag("2.4.2")
def test_titles_are_unique_per_step_and_change_on_error(
    locale: str, portal: Subject, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    seen = [
        (record.where, page, record.facts["title"])
        for page, record in _records(portal, records, locale)
    ]
    ledger.assert_clean(titles.check(seen))


@pytest.mark.browser
@pytest.mark.wcag("3.2.3")
def test_navigation_is_the_same_on_every_page(
    locale: str, portal: Subject, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    pages = [
        (record.where, record.facts)
        for _page, record in _records(portal, records, locale)
        if not urlsplit(record.where.url).path.startswith(crawl.OTHER_SITES)
    ]
    ledger.assert_clean(navigation.consistent(pages))


@pytest.mark.browser
@pytest.mark.wcag("3.3.4")
def test_answers_are_checked_before_submitting(
    check_visit: Visit,
    portal: Subject,
    records: WalkResult[PageRecord],
    ledger: Ledger,
) -> None:
    procedure_id, locale = check_visit.procedure, check_visit.locale
    record = records.reached(check_visit)
    journeys = crawl.locale_journeys(portal.app, locale, crawl.now_of(portal.app))
    walked = journey.journey_of(journeys, locale, procedure_id).visits()
    procedure = portal.app.extensions["portal.procedures"].get(procedure_id)
    shown = {v.page for v in walked if v.procedure == procedure_id and not v.variant}
    pages = [
        page.id
        for page in procedure.pages
        if f"{procedure_id}/{page.id}" in shown and not check_answers.answered_by_card(page)
    ]
    ledger.assert_clean(check_answers.check(record.facts, record.where, procedure_id, pages))


@pytest.mark.wcag("2.2.1")
def test_limits_nobody_is_warned_of_are_20_hours_or_more(portal: Subject, ledger: Ledger) -> None:
    where = Where(page="(every page)", state="configuration", locale="all", url="app.config")
    for name, limit in timing.limits(portal.app).items():
        ledger.notes["2.2.1"].append(f"{name}: {limit or 'no limit'}")
    ledger.assert_clean(timing.silent_limits(portal.app, where))


@pytest.mark.browser
@pytest.mark.wcag("2.2.1")
def test_signed_in_pages_offer_to_extend_the_sign_in(
    portal: Subject, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    limit = timing.limits(portal.app)["IDENTITY_IDLE_MINUTES"]
    signed_in = [
        v
        for v in portal.visits()
        if v.procedure
        and portal.app.extensions["portal.procedures"].get(v.procedure).identity != "none"
        and v.state == "empty"
        and not v.path.startswith(crawl.OTHER_SITES)
    ]
    if limit is None or not signed_in:
        pytest.skip("no procedure needs a sign-in that expires")
    findings = []
    for visit in signed_in:
        record = records.reached(visit)
        findings += timing.extend_offered(record.facts, record.where, limit)
    ledger.assert_clean(findings)


@pytest.mark.browser
@pytest.mark.wcag("2.2.1")
def test_back_office_pages_offer_to_extend_the_sign_in(
    portal: Subject, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    from portal.staff.guard import idle_timeout

    with portal.app.app_context():
        limit = idle_timeout()
    signed_in = [
        v for v in portal.visits() if v.page.startswith("staff/") and v.page != "staff/sign-in"
    ]
    if not signed_in:
        pytest.skip("the audit reaches no signed-in back-office page")
    findings = []
    for visit in signed_in:
        record = records.reached(visit)
        findings += timing.extend_offered(record.facts, record.where, limit)
    ledger.assert_clean(findings)
