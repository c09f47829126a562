"""The portal counts residents' journeys itself: exactly, anonymously, and past the purge."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.indicators.models import CompletionTime, DraftMark, UsageCount
from portal.retention import purge
from tests.indicators.conftest import Resident, counts


def test_journeys_that_stop_at_each_page_are_counted_exactly_where_they_stopped(app):
    # 1 resident gives up on each page, 2 at the check page, 3 submit.
    for pages in (0, 1, 2):
        Resident(app).walk(pages=pages)
    for _ in range(2):
        Resident(app).walk(check=True)
    for _ in range(3):
        Resident(app).walk(submit=True)
    assert counts(app) == {
        ("draft_started", ""): 8,
        ("page_reached", "about"): 8,
        ("page_reached", "contact"): 7,
        ("page_reached", "details"): 6,
        ("check_reached", ""): 5,
        ("submitted", ""): 3,
        ("submitted_without_errors", ""): 3,
    }


def test_a_page_seen_again_or_revisited_after_it_was_done_counts_once(app):
    resident = Resident(app)
    resident.start()
    resident.see("about")
    resident.see("about")  # reloaded
    assert resident.answer("about", {"name": "花子"}) == 302
    resident.see("contact")
    resident.see("about")  # back to a page already done
    resident.see("contact")
    assert counts(app) == {
        ("draft_started", ""): 1,
        ("page_reached", "about"): 1,
        ("page_reached", "contact"): 1,
    }


def test_each_validation_error_is_counted_per_question_and_the_submission_is_not_clean(app):
    resident = Resident(app)
    resident.start()
    resident.see("about")
    assert resident.answer("about", {"name": ""}) == 200  # required, left empty
    assert resident.answer("about", {"name": ""}) == 200  # and again
    assert resident.answer("about", {"name": "花子"}) == 302
    resident.see("contact")
    assert resident.answer("contact", {"email": "not an address"}) == 200
    assert resident.answer("contact", {"email": "a@example.jp"}) == 302
    resident.see("details")
    assert resident.answer("details", {"party": "2"}) == 302
    assert resident.submit().status_code == 302
    Resident(app).walk(submit=True)
    found = counts(app)
    assert found[("validation_error", "name")] == 2
    assert found[("validation_error", "email")] == 1
    assert ("validation_error", "party") not in found
    assert found[("submitted", "")] == 2
    assert found[("submitted_without_errors", "")] == 1


def test_counts_are_kept_per_version_day_language_and_identity_level(app, clock):
    clock.set(2026, 11, 30, 23, 30)  # Asia/Tokyo
    Resident(app, "en").walk(pages=0)
    clock.set(2026, 12, 1, 0, 30)  # the next day in Tokyo (still 30 November in UTC)
    Resident(app, "ja").walk(pages=0)
    with app.app_context():
        rows = db.session.execute(
            select(
                UsageCount.day,
                UsageCount.locale,
                UsageCount.procedure_version,
                UsageCount.identity,
            ).where(UsageCount.event == "draft_started")
        ).all()
    assert sorted(rows) == [
        (date(2026, 11, 30), "en", 2, "none"),
        (date(2026, 12, 1), "ja", 2, "none"),
    ]


def test_completion_time_is_kept_in_whole_minutes_without_the_draft(app, clock):
    clock.set(2026, 12, 1, 10, 0)
    resident = Resident(app)
    resident.start()
    for page_id, answers in (("about", {"name": "花子"}), ("contact", {"email": "a@example.jp"})):
        resident.see(page_id)
        resident.answer(page_id, answers)
    resident.see("details")
    resident.answer("details", {"party": "1"})
    clock.at += timedelta(minutes=7, seconds=40)
    assert resident.submit().status_code == 302
    with app.app_context():
        rows = db.session.execute(select(CompletionTime.minutes, CompletionTime.count)).all()
    assert rows == [(7, 1)]


def test_waitlist_places_and_cancellations_of_an_event_are_counted(app):
    outcomes = []
    for number in range(2):
        resident = Resident(app)
        resident.start("meetup")
        resident.see("you", "meetup")
        resident.answer("you", {"email": f"r{number}@example.jp"}, "meetup")
        outcomes.append(resident.submit("meetup", accept_waitlist="1").status_code)
    assert outcomes == [302, 302]
    with app.app_context():
        from portal.events import seats
        from portal.models import Submission
        from portal.resident.emails import event_notifier

        procedure = app.extensions["portal.procedures"].get("meetup")
        first = db.session.scalars(select(Submission).order_by(Submission.id)).first()
        with app.test_request_context(), db.transaction() as tx:
            from portal import clock as portal_clock

            now = portal_clock.now()
            seats.cancel(tx, procedure, first, now=now, notify=event_notifier(tx, procedure, now))
            # cancelling what is already cancelled changes nothing and counts nothing
            seats.cancel(tx, procedure, first, now=now, notify=event_notifier(tx, procedure, now))
    found = counts(app, "meetup")
    assert (found[("submitted", "")], found[("waitlisted", "")]) == (2, 1)
    assert found[("cancelled", "")] == 1


def test_counts_outlive_the_purge_and_the_drafts_marks_go_with_the_drafts(app, clock):
    for _ in range(2):
        Resident(app).walk(submit=True)
    Resident(app).walk(pages=1)
    before = counts(app)
    clock.at += timedelta(days=400)
    with app.app_context():
        with db.transaction() as tx:
            report = purge(tx, clock.at, draft_days=30)
        marks = db.session.scalar(select(func.count()).select_from(DraftMark))
    assert report.deleted["survey"] == 2 and report.abandoned_drafts["survey"] == 1
    assert marks == 0
    assert counts(app) == before
