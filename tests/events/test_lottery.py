"""Lotteries: entries until the window closes, a reproducible draw, every applicant told."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from portal.cli import main
from portal.events.lottery import DrawRefused, draw, order_entries
from portal.events.models import Allocation, LotteryDraw
from portal.extensions import db
from portal.models import OutboxMessage, Submission
from portal.resident.emails import event_notifier
from tests.events.conftest import apply, reference_of

PARTIES = {"a": 1, "b": 2, "c": 1, "d": 3, "e": 1, "f": 2, "g": 1}


@pytest.fixture
def entered(app, clock):
    clock.set(2026, 11, 20, 12, 0)
    client = app.test_client()
    for name, party in PARTIES.items():
        reference_of(client, apply(client, "raffle", f"{name}@example.jp", party))
    return app


def run_draw(app, clock, seed="42"):
    clock.set(2026, 12, 1, 12, 0)
    with app.test_request_context():
        procedure = app.extensions["portal.procedures"].get("raffle")
        with db.transaction() as tx:
            return draw(
                tx, procedure, now=clock(), seed=seed, notify=event_notifier(tx, procedure, clock())
            )


def outcome(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(
            select(Submission.email, Allocation.state).join(
                Allocation, Allocation.submission_id == Submission.id
            )
        ).all()
    return {email.split("@")[0]: state for email, state in rows}


def test_applications_are_entries_until_the_draw(entered):
    assert set(outcome(entered).values()) == {"entered"}


def test_draw_fills_seats_with_whole_parties_then_the_waitlist(entered, clock):
    result = run_draw(entered, clock)
    states = outcome(entered)
    won = [name for name, state in states.items() if state == "confirmed"]
    waiting = [name for name, state in states.items() if state == "waitlisted"]
    assert sum(PARTIES[name] for name in won) <= 3
    assert sum(PARTIES[name] for name in waiting) <= 2
    assert len(result.won) + len(result.waitlisted) + len(result.lost) == len(PARTIES)
    with entered.app_context():
        mails = db.session.scalars(select(OutboxMessage.subject)).all()
    assert len(mails) == 2 * len(PARTIES)  # the entry confirmation, then the result


def test_the_same_seed_and_applicants_give_the_same_order():
    entries = [Allocation(submission_id=i, party_size=1) for i in range(1, 30)]
    first = [a.submission_id for a in order_entries(entries, "seed-1")]
    assert first == [a.submission_id for a in order_entries(list(reversed(entries)), "seed-1")]
    assert first != [a.submission_id for a in order_entries(entries, "seed-2")]


def test_draw_is_recorded_once_and_cannot_be_repeated(entered, clock):
    run_draw(entered, clock, seed="abc")
    with entered.app_context():
        assert db.session.get(LotteryDraw, "raffle").seed == "abc"
    with pytest.raises(DrawRefused):
        run_draw(entered, clock)


def test_draw_before_the_window_closes_is_refused(entered, clock):
    clock.set(2026, 11, 30, 12, 0)
    with entered.test_request_context():
        procedure = entered.extensions["portal.procedures"].get("raffle")
        with pytest.raises(DrawRefused), db.transaction() as tx:
            draw(tx, procedure, now=clock(), notify=event_notifier(tx, procedure, clock()))


def test_portal_draw_command(entered, clock, monkeypatch):
    clock.set(2026, 12, 1, 12, 0)
    monkeypatch.setenv("PORTAL_DATABASE_URL", entered.config["DATABASE_URL"])
    monkeypatch.setenv("PORTAL_PROCEDURES_DIR", entered.config["PROCEDURES_DIR"])
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setattr("portal.clock.now", clock)
    result = CliRunner().invoke(main, ["draw", "raffle", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "seed 7" in result.output and "won" in result.output
    again = CliRunner().invoke(main, ["draw", "raffle"])
    assert again.exit_code == 1 and "already been drawn" in again.output
