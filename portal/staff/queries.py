"""Finding submissions for staff: filters, free text over answers, pages and counts."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import jaconv
from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from portal.models import Submission
from portal.procedure.model import TOKYO

PER_PAGE = 25


@dataclass(frozen=True)
class SubmissionFilter:
    """What a clerk narrows the list down to; empty parts do not filter."""

    status: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    text: str | None = None

    def as_dict(self) -> dict[str, str]:
        """Return the filter as it is written in a URL and in the audit trail."""
        values = {
            "status": self.status,
            "from": self.submitted_from,
            "to": self.submitted_to,
            "q": self.text,
        }
        return {key: str(value) for key, value in values.items() if value}


@dataclass(frozen=True)
class SubmissionPage:
    submissions: list[Submission]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


def tokyo_midnight(day: date) -> datetime:
    """Return the start of `day` in Tokyo, in UTC."""
    return datetime.combine(day, time(), TOKYO).astimezone(UTC)


def _like_escape(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _spellings(word: str) -> set[str]:
    # Answers are stored as JSON with \\u escapes, so the escaped spelling is searched.
    folded = unicodedata.normalize("NFKC", word)
    variants = {word, folded, jaconv.hira2kata(folded), jaconv.kata2hira(folded)}
    return {json.dumps(variant)[1:-1] for variant in variants} | variants


def _word_matches(word: str):
    answers_text = cast(Submission.answers, String)
    tests = [answers_text.ilike(f"%{_like_escape(s)}%", escape="!") for s in _spellings(word)]
    tests.append(Submission.reference_number.ilike(f"%{_like_escape(word)}%", escape="!"))
    return or_(*tests)


def filtered(procedure_id: str, where: SubmissionFilter, *, with_status: bool = True) -> Select:
    """Return the query for one procedure's submissions that pass `where`."""
    query = select(Submission).where(Submission.procedure_id == procedure_id)
    if with_status and where.status:
        query = query.where(Submission.status == where.status)
    if where.submitted_from:
        query = query.where(Submission.submitted_at >= tokyo_midnight(where.submitted_from))
    if where.submitted_to:
        end = tokyo_midnight(where.submitted_to + timedelta(days=1))
        query = query.where(Submission.submitted_at < end)
    for word in (where.text or "").split():
        query = query.where(_word_matches(word))
    return query


def _fold(text: str) -> str:
    return jaconv.kata2hira(unicodedata.normalize("NFKC", text)).casefold()


def _values(answer: Any) -> list[str]:
    if isinstance(answer, list):
        return [str(item) for item in answer]
    return [] if answer is None else [str(answer)]


def _really_matches(answers: dict[str, Any], reference: str, words: list[str]) -> bool:
    # SQL narrowed the rows down on the raw JSON (keys too); only answers and the number count.
    haystack = _fold(" ".join([reference, *(v for a in answers.values() for v in _values(a))]))
    return all(_fold(word) in haystack for word in words)


def _matching_rows(
    session: Session, procedure_id: str, where: SubmissionFilter
) -> list[tuple[int, str]]:
    """Return (id, status) of every match, newest first, ignoring the status filter."""
    words = (where.text or "").split()
    columns = [Submission.id, Submission.status]
    if words:
        columns += [Submission.answers, Submission.reference_number]
    query = (
        filtered(procedure_id, where, with_status=False)
        .with_only_columns(*columns)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
    )
    return [
        (row.id, row.status)
        for row in session.execute(query)
        if not words or _really_matches(row.answers, row.reference_number, words)
    ]


def find_page(
    session: Session,
    procedure_id: str,
    where: SubmissionFilter,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SubmissionPage:
    """Return one page of matching submissions (newest first) and counts by status."""
    rows = _matching_rows(session, procedure_id, where)
    counts: dict[str, int] = {}
    for _id, status in rows:
        counts[status] = counts.get(status, 0) + 1
    ids = [row_id for row_id, status in rows if not where.status or status == where.status]
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(page, 1), pages)
    shown = ids[(page - 1) * per_page : page * per_page]
    found = {s.id: s for s in session.scalars(select(Submission).where(Submission.id.in_(shown)))}
    return SubmissionPage([found[i] for i in shown], len(ids), page, pages, counts)


def find_all(session: Session, procedure_id: str, where: SubmissionFilter) -> list[Submission]:
    """Return every matching submission, oldest first (for exports)."""
    if not where.text:
        query = filtered(procedure_id, where).order_by(Submission.submitted_at, Submission.id)
        return list(session.scalars(query).all())
    rows = _matching_rows(session, procedure_id, where)
    ids = [row_id for row_id, status in rows if not where.status or status == where.status]
    found: list[Submission] = []
    for start in range(0, len(ids), 500):  # stay under the databases' bound-parameter limits
        chunk = ids[start : start + 500]
        found += session.scalars(select(Submission).where(Submission.id.in_(chunk)))
    return sorted(found, key=lambda s: (s.submitted_at, s.id))


def status_counts(session: Session, procedure_ids: list[str]) -> dict[str, dict[str, int]]:
    """Return procedure id → status → number of submissions."""
    counts: dict[str, dict[str, int]] = {pid: {} for pid in procedure_ids}
    if not procedure_ids:
        return counts
    rows = session.execute(
        select(Submission.procedure_id, Submission.status, func.count())
        .where(Submission.procedure_id.in_(procedure_ids))
        .group_by(Submission.procedure_id, Submission.status)
    )
    for procedure_id, status, count in rows:
        counts[procedure_id][status] = count
    return counts
