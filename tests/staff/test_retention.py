"""Retention: `portal purge` deletes personal data past its date, keeps anonymous counts per
procedure, day and status, and records what it did."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import func, select

from portal.cli import main
from portal.extensions import db
from portal.models import OutboxMessage, Submission
from portal.notify.outbox import enqueue
from portal.retention import anonymous_counts, purge
from portal.staff.models import AuditEvent


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_purge_deletes_expired_submissions_with_their_emails_and_keeps_counts(
    app, clock, make_submission
):
    day = datetime(2025, 4, 1, 3, tzinfo=UTC)
    expired = [
        make_submission(status=s, submitted_at=day, delete_after=clock() - timedelta(1))
        for s in ("completed", "completed", "rejected")
    ]
    kept = make_submission(delete_after=clock() + timedelta(days=1))
    with app.app_context(), db.transaction() as tx:
        enqueue(
            tx,
            recipient="a@example.jp",
            subject="s",
            body="b",
            now=clock(),
            submission_id=expired[0].id,
        )
    with app.app_context():
        with db.transaction() as tx:
            report = purge(tx, clock())
        assert report.deleted == {"bulky-waste": 3}
        assert db.session.scalars(select(Submission.reference_number)).all() == [
            kept.reference_number
        ]
        assert _count(OutboxMessage) == 0
        counts = {(c.day, c.status): c.count for c in anonymous_counts(db.session, "bulky-waste")}
        assert counts == {(date(2025, 4, 1), "completed"): 2, (date(2025, 4, 1), "rejected"): 1}
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "purge"))
        assert event.actor == "system" and event.detail["deleted"] == 3
        assert sorted(event.detail["reference_numbers"]) == sorted(
            s.reference_number for s in expired
        )
        with db.transaction() as tx:
            assert purge(tx, clock()).total == 0, "a second purge has nothing to do"


def test_purge_adds_to_counts_kept_from_earlier_purges(app, clock, make_submission):
    day = datetime(2025, 4, 1, 3, tzinfo=UTC)
    for _ in range(2):
        make_submission(submitted_at=day, delete_after=clock() - timedelta(1))
        with app.app_context(), db.transaction() as tx:
            purge(tx, clock())
    with app.app_context():
        assert [c.count for c in anonymous_counts(db.session, "bulky-waste")] == [2]


def test_portal_purge_dry_run_deletes_nothing(
    app, clock, make_submission, monkeypatch, database_url
):
    make_submission(delete_after=datetime(2000, 1, 1, tzinfo=UTC))
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_SECRET_KEY", "test")
    dry = CliRunner().invoke(main, ["purge", "--dry-run"])
    assert dry.exit_code == 0 and "would delete 1" in dry.output
    with app.app_context():
        assert _count(Submission) == 1
    real = CliRunner().invoke(main, ["purge"])
    assert real.exit_code == 0 and "deleted 1" in real.output
    with app.app_context():
        assert _count(Submission) == 0
