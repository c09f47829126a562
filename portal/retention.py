"""Retention: delete personal data past its date, keep anonymous counts, record what was done."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.models import Draft, OutboxMessage, ResumeLink, Submission
from portal.procedure.model import TOKYO
from portal.resume_links import expired_drafts, kept_drafts, spent_links
from portal.staff import audit
from portal.staff.models import DailyCount, PreviewDraft, StatusChange

PREVIEW_DRAFT_LIFETIME = timedelta(days=1)
#: days a resident's unsubmitted draft is kept after its last change (PORTAL_DRAFT_RETENTION_DAYS)
DRAFT_RETENTION_DAYS = 30
BATCH = 500


@dataclass
class PurgeReport:
    """What a purge deleted, per procedure."""

    deleted: Counter[str] = field(default_factory=Counter)
    #: residents' drafts never submitted and untouched for the retention days, per procedure
    abandoned_drafts: Counter[str] = field(default_factory=Counter)
    #: drafts saved for later whose emailed link expired, per procedure
    expired_resume_drafts: Counter[str] = field(default_factory=Counter)
    preview_drafts: int = 0
    #: resume links deleted: expired, or their draft submitted
    resume_links: int = 0

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


def _abandoned(now: datetime, days: int):
    return (
        Draft.submission_id.is_(None),
        Draft.updated_at <= now - timedelta(days=days),
        Draft.token.not_in(kept_drafts(now)),
    )


def _purge_expired_resume_drafts(session: Session, now: datetime, report: PurgeReport) -> None:
    """Delete drafts saved for later whose link expired; record the count per procedure."""
    chosen = (Draft.token.in_(expired_drafts(now)),)
    for procedure_id, count in _delete_drafts(session, chosen):
        report.expired_resume_drafts[procedure_id] += count
        _record_purge(session, now, procedure_id, {"expired_resume_drafts": count})


def _purge_abandoned_drafts(session: Session, now: datetime, days: int, report: PurgeReport):
    """Delete drafts nobody submitted or changed for `days` days; record the count per procedure."""
    # Their identity bindings and signatures go with them (ON DELETE CASCADE).
    for procedure_id, count in _delete_drafts(session, _abandoned(now, days)):
        report.abandoned_drafts[procedure_id] += count
        detail = {"abandoned_drafts": count, "untouched_days": days}
        _record_purge(session, now, procedure_id, detail)


def _delete_drafts(session: Session, chosen: tuple) -> list[tuple[str, int]]:
    """Delete the drafts `chosen` selects; return (procedure id, how many) where any went."""
    procedures = session.scalars(select(Draft.procedure_id).where(*chosen).distinct()).all()
    deleted = []
    for procedure_id in sorted(procedures):
        where = (Draft.procedure_id == procedure_id, *chosen)
        count = session.execute(delete(Draft).where(*where)).rowcount
        if count:
            deleted.append((procedure_id, count))
    return deleted


def _record_purge(session: Session, now: datetime, procedure_id: str, detail: dict) -> None:
    audit.record(
        session, action="purge", now=now, actor=None, procedure_id=procedure_id, detail=detail
    )


def purge(
    session: Session,
    now: datetime,
    *,
    dry_run: bool = False,
    draft_days: int = DRAFT_RETENTION_DAYS,
) -> PurgeReport:
    """Delete every submission past its delete_after date (with its drafts, emails, notes),
    every draft saved for later whose link expired, and every other draft left unsubmitted and
    untouched for `draft_days` days (a live resume link keeps its draft)."""
    report = PurgeReport()
    if dry_run:
        rows = session.execute(
            select(Submission.procedure_id, func.count())
            .where(Submission.delete_after <= now)
            .group_by(Submission.procedure_id)
        )
        report.deleted.update(dict(rows.all()))
        drafts = session.execute(
            select(Draft.procedure_id, func.count())
            .where(*_abandoned(now, draft_days))
            .group_by(Draft.procedure_id)
        )
        report.abandoned_drafts.update(dict(drafts.all()))
        resumed = session.execute(
            select(Draft.procedure_id, func.count())
            .where(Draft.token.in_(expired_drafts(now)))
            .group_by(Draft.procedure_id)
        )
        report.expired_resume_drafts.update(dict(resumed.all()))
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
            detail = {"deleted": count, "reference_numbers": references}
            _record_purge(session, now, procedure_id, detail)
        _count_anonymously(session, batch)
        _delete(session, batch)
        session.flush()
    _purge_expired_resume_drafts(session, now, report)
    _purge_abandoned_drafts(session, now, draft_days, report)
    # the email address a link was sent to goes once the link can do nothing more
    report.resume_links = session.execute(delete(ResumeLink).where(spent_links(now))).rowcount
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
