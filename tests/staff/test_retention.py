"""Retention: `portal purge` deletes personal data past its date, keeps anonymous counts per
procedure, day and status, and records what it did."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import func, select

from portal.cli import main
from portal.extensions import db
from portal.identity.models import DraftIdentity
from portal.models import Draft, OutboxMessage, Submission
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


def _draft(tx, procedure_id: str, updated_at: datetime, submission_id: int | None = None) -> str:
    token = uuid.uuid4().hex
    tx.add(
        Draft(
            token=token,
            procedure_id=procedure_id,
            procedure_version=1,
            answers={"name": "横浜 太郎"},
            completed_pages=[],
            created_at=updated_at,
            updated_at=updated_at,
            submission_id=submission_id,
        )
    )
    return token


def test_purge_deletes_drafts_abandoned_for_the_retention_days_and_records_counts(
    app, clock, make_submission
):
    submitted = make_submission(delete_after=clock() + timedelta(days=365))
    old, recent = clock() - timedelta(days=31), clock() - timedelta(days=29)
    with app.app_context(), db.transaction() as tx:
        gone = [_draft(tx, "bulky-waste", old), _draft(tx, "bulky-waste", old)]
        gone.append(_draft(tx, "citizen-lecture", old))
        tx.flush()
        tx.add(DraftIdentity(draft_token=gone[0], adapter="mynumber", subject_hash="0" * 64))
        kept = [_draft(tx, "bulky-waste", recent), _draft(tx, "bulky-waste", old, submitted.id)]
    with app.app_context():
        with db.transaction() as tx:
            assert purge(tx, clock(), dry_run=True).abandoned_drafts == {
                "bulky-waste": 2,
                "citizen-lecture": 1,
            }
        assert _count(Draft) == 5, "a dry run deletes nothing"
        with db.transaction() as tx:
            report = purge(tx, clock())
        assert report.abandoned_drafts == {"bulky-waste": 2, "citizen-lecture": 1}
        assert sorted(db.session.scalars(select(Draft.token)).all()) == sorted(kept)
        assert _count(DraftIdentity) == 0
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "purge").order_by(AuditEvent.id)
        ).all()
        assert [(e.procedure_id, e.detail) for e in events] == [
            ("bulky-waste", {"abandoned_drafts": 2, "untouched_days": 30}),
            ("citizen-lecture", {"abandoned_drafts": 1, "untouched_days": 30}),
        ]
        with db.transaction() as tx:
            assert purge(tx, clock() + timedelta(days=2)).abandoned_drafts == {"bulky-waste": 1}


def test_portal_purge_keeps_drafts_for_the_configured_days(app, clock, monkeypatch, database_url):
    with app.app_context(), db.transaction() as tx:
        _draft(tx, "bulky-waste", datetime.now(UTC) - timedelta(days=8))
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_SECRET_KEY", "test")
    monkeypatch.setenv("PORTAL_DRAFT_RETENTION_DAYS", "10")
    kept = CliRunner().invoke(main, ["purge"])
    assert kept.exit_code == 0 and "0 abandoned draft(s)" in kept.output
    monkeypatch.setenv("PORTAL_DRAFT_RETENTION_DAYS", "7")
    dry = CliRunner().invoke(main, ["purge", "--dry-run"])
    assert "bulky-waste: would delete 1 draft(s) untouched for 7 days" in dry.output
    real = CliRunner().invoke(main, ["purge"])
    assert real.exit_code == 0 and "1 abandoned draft(s)" in real.output
    with app.app_context():
        assert _count(Draft) == 0
    monkeypatch.setenv("PORTAL_DRAFT_RETENTION_DAYS", "0")
    assert CliRunner().invoke(main, ["purge"]).exit_code != 0
