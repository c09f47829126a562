"""The outbox worker against a real SMTP server on loopback: each email once, retried with
backoff while the server fails, and safe with several workers at the same time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from portal.notify.outbox import enqueue
from portal.notify.worker import LEASE, backoff, run_once


def _enqueue(app, count: int = 1, **kwargs) -> None:
    with app.app_context(), db.transaction() as tx:
        for n in range(count):
            enqueue(
                tx,
                recipient=f"resident{n}@example.jp",
                subject=f"件名 {n}",
                body="本文です。\nLine two.",
                now=app.config["CLOCK"](),
                **kwargs,
            )


def _rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.mark.parametrize(
    "failures, expected",
    [
        (1, timedelta(minutes=1)),
        (2, timedelta(minutes=2)),
        (5, timedelta(minutes=16)),
        (30, timedelta(hours=6)),
    ],
)
def test_backoff_doubles_up_to_six_hours(failures, expected):
    assert backoff(failures) == expected


def test_due_emails_are_sent_once_with_japanese_intact(app, smtp_server, clock):
    _enqueue(app, 3)
    sessions = app.extensions["portal.db"]
    assert run_once(sessions, smtp_server.mailer(), clock).sent == 3
    assert run_once(sessions, smtp_server.mailer(), clock).claimed == 0
    assert [m["Subject"] for m in smtp_server.messages] == ["件名 0", "件名 1", "件名 2"]
    assert "本文です。" in smtp_server.messages[0].get_content()
    assert all(row.sent_at == clock() and row.attempts == 1 for row in _rows(app))


def test_server_that_is_down_then_refuses_then_recovers_gets_the_email_once(
    app, smtp_server, clock
):
    _enqueue(app)
    sessions = app.extensions["portal.db"]
    smtp_server.stop()
    assert run_once(sessions, smtp_server.mailer(), clock).failed == 1
    row = _rows(app)[0]
    assert row.sent_at is None and row.last_error and row.next_attempt_at == clock() + backoff(1)
    assert run_once(sessions, smtp_server.mailer(), clock).claimed == 0, "waits for the backoff"
    smtp_server.start()
    smtp_server.handler.refuse = 1  # temporary failure: 451
    clock.at += backoff(1)
    assert run_once(sessions, smtp_server.mailer(), clock).failed == 1
    assert "451" in _rows(app)[0].last_error
    clock.at += backoff(2)
    assert run_once(sessions, smtp_server.mailer(), clock).sent == 1
    clock.at += timedelta(days=1)
    assert run_once(sessions, smtp_server.mailer(), clock).claimed == 0
    assert len(smtp_server.messages) == 1
    row = _rows(app)[0]
    assert row.attempts == 3 and row.last_error is None and row.sent_at is not None


def test_email_claimed_by_a_worker_that_died_is_sent_after_the_lease(app, smtp_server, clock):
    from portal.notify.worker import claim

    _enqueue(app)
    sessions = app.extensions["portal.db"]
    assert len(claim(sessions, clock())) == 1  # and then the worker dies
    assert run_once(sessions, smtp_server.mailer(), clock).claimed == 0
    clock.at += LEASE
    assert run_once(sessions, smtp_server.mailer(), clock).sent == 1


def test_several_workers_at_once_send_each_email_exactly_once(app, smtp_server, clock):
    _enqueue(app, 60)
    sessions = app.extensions["portal.db"]
    start = threading.Barrier(4)

    def work():
        start.wait()
        while run_once(sessions, smtp_server.mailer(), lambda: datetime.now(UTC)).claimed:
            pass

    workers = [threading.Thread(target=work) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert subjects == sorted(f"件名 {n}" for n in range(60))
    assert all(row.sent_at is not None and row.attempts == 1 for row in _rows(app))


def test_email_written_in_a_rolled_back_transaction_is_never_sent(app, smtp_server, clock):
    with app.app_context(), pytest.raises(RuntimeError), db.transaction() as tx:
        enqueue(tx, recipient="r@example.jp", subject="s", body="b", now=clock())
        raise RuntimeError("the change failed")
    assert run_once(app.extensions["portal.db"], smtp_server.mailer(), clock).claimed == 0
