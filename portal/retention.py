"""Retention: delete personal data past its date, keep anonymous counts, record what was done."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.models import Draft, OutboxMessage, Submission
from portal.procedure.model import TOKYO
from portal.staff import audit
from portal.staff.models import DailyCount, PreviewDraft, StatusChange

PREVIEW_DRAFT_LIFETIME = timedelta(days=1)
BATCH = 500


@dataclass
class PurgeReport:
    """What a purge deleted, per procedure."""

    deleted: Counter[str] = field(default_factory=Counter)
    preview_drafts: int = 0

    @property
    def total(self) -> int:
        return sum(self.deleted.values())


def _count_anonymously(session: Session, submissions: list[Submission]) -> None:
    tally: Counter[tuple[str, date, str]] = Counter(
        (s.procedure_id, s.submitted_at.astimezone(TOKYO).date(), s.status) for s in submissions
    )
    for (procedure_id, day, status), count in tally.items():
        row = session.get(DailyCount, (procedure_id, day, status))
        if row is None:
            session.add(DailyCount(procedure_id=procedure_id, day=day, status=status, count=count))
        else:
            row.count += count


def _delete(session: Session, submissions: list[Submission]) -> None:
    ids = [s.id for s in submissions]
    session.execute(delete(Draft).where(Draft.submission_id.in_(ids)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.submission_id.in_(ids)))
    session.execute(delete(StatusChange).where(StatusChange.submission_id.in_(ids)))
    session.execute(delete(Submission).where(Submission.id.in_(ids)))


def purge(session: Session, now: datetime, *, dry_run: bool = False) -> PurgeReport:
    """Delete every submission past its delete_after date (with its drafts, emails, notes)."""
    report = PurgeReport()
    if dry_run:
        rows = session.execute(
            select(Submission.procedure_id, func.count())
            .where(Submission.delete_after <= now)
            .group_by(Submission.procedure_id)
        )
        report.deleted.update(dict(rows.all()))
        return report
    while True:
        batch = list(
            session.scalars(
                select(Submission)
                .where(Submission.delete_after <= now)
                .order_by(Submission.id)
                .limit(BATCH)
            )
        )
        if not batch:
            break
        for procedure_id, count in Counter(s.procedure_id for s in batch).items():
            report.deleted[procedure_id] += count
            references = [s.reference_number for s in batch if s.procedure_id == procedure_id]
            audit.record(
                session,
                action="purge",
                now=now,
                actor=None,
                procedure_id=procedure_id,
                detail={"deleted": count, "reference_numbers": references},
            )
        _count_anonymously(session, batch)
        _delete(session, batch)
        session.flush()
    report.preview_drafts = session.execute(
        delete(PreviewDraft).where(PreviewDraft.created_at <= now - PREVIEW_DRAFT_LIFETIME)
    ).rowcount
    return report


def anonymous_counts(session: Session, procedure_id: str) -> list[DailyCount]:
    """Return the counts kept for a procedure's purged submissions, by day and status."""
    return list(
        session.scalars(
            select(DailyCount)
            .where(DailyCount.procedure_id == procedure_id)
            .order_by(DailyCount.day, DailyCount.status)
        )
    )
