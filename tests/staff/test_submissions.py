"""The submissions list (filters, free text, pages, counts) and one submission's page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from markupsafe import escape
from sqlalchemy import select

from portal.extensions import db
from portal.staff.models import AuditEvent
from portal.staff.queries import SubmissionFilter, find_page
from tests.staff.conftest import sign_in
from tests.support.journey import walk

LIST = "/staff/procedures/bulky-waste/submissions"


def _references(html: str) -> set[str]:
    return set(re.findall(r">(YKH-[0-9A-Z]{4}-[0-9A-Z]{4})</a>", html))


@pytest.fixture
def clerk(client, make_staff):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    sign_in(client, "clerk@city.example")
    return client


@pytest.fixture
def three(make_submission):
    return {
        "taro": make_submission(
            answers={"name": "横浜 太郎", "name_kana": "ヨコハマ タロウ"},
            submitted_at=datetime(2026, 4, 1, 3, tzinfo=UTC),
        ),
        "hanako": make_submission(
            answers={"name": "Hanako Sato", "items": "100% オフ_セール"},
            status="in_review",
            submitted_at=datetime(2026, 4, 10, 3, tzinfo=UTC),
        ),
        "jiro": make_submission(
            answers={"name": "山手 次郎"},
            status="completed",
            submitted_at=datetime(2026, 4, 30, 16, tzinfo=UTC),
        ),
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"taro", "hanako", "jiro"}),
        ("?status=in_review", {"hanako"}),
        ("?q=太郎", {"taro"}),
        ("?q=よこはま", {"taro"}),  # hiragana finds katakana
        ("?q=ﾖｺﾊﾏ", {"taro"}),  # half-width finds full-width
        ("?q=hanako", {"hanako"}),  # any case
        ("?q=100%25", {"hanako"}),  # % is a character, not a wildcard
        ("?q=_", {"hanako"}),
        ("?q=横浜+次郎", set()),  # every word must match
        ("?from=2026-04-05", {"hanako", "jiro"}),
        ("?to=2026-04-30", {"taro", "hanako"}),  # 16:00 UTC on the 30th is 1 May in Tokyo
        ("?from=2026-04-02&to=2026-04-10", {"hanako"}),
    ],
)
def test_list_filters_by_status_dates_and_words_in_answers(clerk, three, query, expected):
    html = clerk.get(LIST + query).get_data(as_text=True)
    assert _references(html) == {three[name].reference_number for name in expected}


def test_list_finds_a_submission_by_its_reference_number(clerk, three):
    reference = three["jiro"].reference_number
    html = clerk.get(f"{LIST}?q={reference.lower()}").get_data(as_text=True)
    assert _references(html) == {reference}


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("?from=2026-13-01", "submitted_from", "Enter a date like 2026-04-01"),
        ("?from=2026-04-10&to=2026-04-01", "submitted_to", "same as or after the start date"),
    ],
)
def test_wrong_dates_are_explained_and_linked(clerk, three, query, field, message):
    html = clerk.get(LIST + query).get_data(as_text=True)
    assert f'href="#{field}"' in html and message in html
    assert "Error:" in html.split("</title>")[0] or "エラー" in html.split("</title>")[0]


def test_list_counts_by_status_and_pages_through_results(app, clerk, make_submission):
    for _ in range(27):
        make_submission()
    make_submission(status="rejected")
    first = clerk.get(LIST).get_data(as_text=True)
    assert len(_references(first)) == 25
    assert "28" in first and 'aria-current="page"' in first
    second = clerk.get(LIST + "?page=2").get_data(as_text=True)
    assert len(_references(second)) == 3
    assert not _references(first) & _references(second)
    with app.app_context():
        page = find_page(db.session, "bulky-waste", SubmissionFilter(status="received"))
        assert page.total == 27 and page.counts == {"received": 27, "rejected": 1}


def test_submission_page_shows_answers_as_the_resident_saw_them_and_is_audited(
    app, client, make_staff
):
    procedure = app.extensions["portal.procedures"].get("bulky-waste")
    resident = app.test_client()
    reference = walk(resident, procedure).reference
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    sign_in(client, "clerk@city.example")
    listing = client.get(LIST).get_data(as_text=True)
    path = re.search(rf'href="(/staff/submissions/\d+)">{reference}', listing).group(1)
    html = client.get(path, environ_base={"REMOTE_ADDR": "10.1.2.3"}).get_data(as_text=True)
    for field in procedure.fields()[:4]:
        assert str(escape(field.label["en"])) in html  # the page is read in English here
    check = resident.get("/procedures/bulky-waste/check")  # the resident's view, for comparison
    assert check.status_code in (200, 302)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view_submission"))
    assert event.actor == "clerk@city.example" and event.reference_number == reference
    assert event.ip_address == "10.1.2.3"


def test_answers_to_questions_no_longer_asked_are_still_shown(clerk, make_submission):
    submission = make_submission(answers={"name": "横浜 太郎", "old_question": "昔の答え"})
    html = clerk.get(f"/staff/submissions/{submission.id}").get_data(as_text=True)
    assert "old_question" in html and "昔の答え" in html


def test_braces_a_resident_typed_are_shown_as_typed_in_the_back_office(
    client, make_staff, make_submission
):
    typed = "{意見|いけん}です"
    submission = make_submission(
        "public-comment-data-plan", answers={"name": typed, "opinion": typed}
    )
    make_staff("clerk@city.example", roles={"public-comment-data-plan": "clerk"})
    sign_in(client, "clerk@city.example")
    html = client.get(f"/staff/submissions/{submission.id}").get_data(as_text=True)
    main = html.split("<main", 1)[1]
    text = re.sub(r"<[^>]+>", "", main)  # the English page marks the Japanese words' lang
    assert text.count(typed) >= 2
    assert "<rt>" not in main and "意見（いけん）" not in text
