"""The outbox worker: claim due emails, send them, retry failures with backoff, each once.

A claim is a short transaction that pushes the row's next attempt a lease into the future:
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL lets several workers claim side by side, and
SQLite's single-writer lock (BEGIN IMMEDIATE) does the same for one machine. Sending happens
outside any transaction, so the database is never locked while an SMTP server is slow.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from portal.db import WRITE
from portal.models import OutboxMessage

log = logging.getLogger(__name__)

# Longer than any SMTP timeout: a claimed message is only retried if its worker died.
LEASE = timedelta(minutes=10)
BATCH = 20
MAX_BACKOFF = timedelta(hours=6)

Clock = Callable[[], datetime]


class Mailer(Protocol):
    def send(self, messages: list[OutboxMessage]) -> dict[int, str | None]: ...


@dataclass(frozen=True)
class WorkerReport:
    sent: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.failed


def backoff(attempts: int) -> timedelta:
    """Return how long to wait after the `attempts`-th failure: 1, 2, 4 … minutes, up to 6 hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim(
    sessions: sessionmaker[Session], now: datetime, limit: int = BATCH
) -> list[OutboxMessage]:
    """Claim up to `limit` due messages for this worker, in one short transaction."""
    with sessions() as session, session.begin():
        session.connection(execution_options={WRITE: True})
        due = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for message in due:
            message.attempts += 1
            message.next_attempt_at = now + LEASE
    return list(due)


def settle(
    sessions: sessionmaker[Session],
    claimed: list[OutboxMessage],
    results: dict[int, str | None],
    now: datetime,
) -> WorkerReport:
    """Mark what was sent as sent, and schedule what failed for another try."""
    sent = failed = 0
    with sessions() as session, session.begin():
        session.connection(execution_options={WRITE: True})
        for message in claimed:
            error = results.get(message.id, "not attempted")
            if error is None:
                values = {"sent_at": now, "last_error": None}
                sent += 1
            else:
                values = {
                    "last_error": error[:2000],
                    "next_attempt_at": now + backoff(message.attempts),
                }
                failed += 1
                log.warning("email %s failed (attempt %s): %s", message.id, message.attempts, error)
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, OutboxMessage.sent_at.is_(None))
                .values(**values)
            )
    return WorkerReport(sent, failed)


def run_once(sessions: sessionmaker[Session], mailer: Mailer, clock: Clock) -> WorkerReport:
    """Send one batch of due emails."""
    claimed = claim(sessions, clock())
    if not claimed:
        return WorkerReport()
    return settle(sessions, claimed, mailer.send(claimed), clock())


def run(
    sessions: sessionmaker[Session],
    mailer: Mailer,
    *,
    clock: Clock | None = None,
    stop: threading.Event | None = None,
    poll_seconds: float = 2.0,
) -> None:
    """Send due emails until `stop` is set, waiting `poll_seconds` whenever nothing is due."""
    clock = clock or (lambda: datetime.now(UTC))
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            report = run_once(sessions, mailer, clock)
        except Exception:
            log.exception("outbox worker: batch failed; trying again")
            report = WorkerReport()
        if report.claimed < BATCH:
            stop.wait(poll_seconds)


def start_thread(
    sessions: sessionmaker[Session], mailer: Mailer, poll_seconds: float = 2.0
) -> threading.Event:
    """Run the worker in a daemon thread (development); set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run,
        args=(sessions, mailer),
        kwargs={"stop": stop, "poll_seconds": poll_seconds},
        name="outbox-worker",
        daemon=True,
    )
    thread.start()
    return stop
