"""Count what happens in residents' journeys: one upsert per event, nothing about the resident.

Every count is keyed by procedure, version, day (Asia/Tokyo), locale and identity level;
`count` is an `INSERT … ON CONFLICT DO UPDATE SET count = count + 1`, so processes counting
at once on PostgreSQL (or SQLite) never lose an event, and it runs in the transaction of the
action it counts, so a rolled-back action is not counted either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.indicators.models import CompletionTime, DraftMark, UsageCount
from portal.procedure.model import TOKYO

Event = Literal[
    "draft_started",
    "page_reached",
    "validation_error",
    "check_reached",
    "submitted",
    "submitted_without_errors",
    "waitlisted",
    "cancelled",
]
EVENTS: tuple[Event, ...] = get_args(Event)
#: the subject of `submitted` counted by the migration for submissions made before counting
#: began (they have no start, page or error counted: rates leave them out)
EARLIER = "before-counting"
#: completion times are kept in whole minutes up to this many (longer ones count here)
LONGEST_MINUTES = 24 * 60


@dataclass(frozen=True)
class Where:
    """What a count is about: the procedure's version, the day, the language, the identity level."""

    procedure_id: str
    procedure_version: int
    day: date
    locale: str
    identity: str

    @classmethod
    def at(cls, procedure_id: str, version: int, now: datetime, locale: str, identity: str):
        """Return the key of an event at `now` (its day in Asia/Tokyo)."""
        return cls(procedure_id, version, now.astimezone(TOKYO).date(), locale, identity)


def _insert(session: Session, table: Table):
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(table)


def _add_one(session: Session, table: Table, key: dict) -> None:
    statement = _insert(session, table).values(**key, count=1)
    session.execute(
        statement.on_conflict_do_update(index_elements=list(key), set_={"count": table.c.count + 1})
    )


def count(session: Session, where: Where, event: Event, subject: str = "") -> None:
    """Add one to the count of `event` (about `subject`) in `where`."""
    key = {**where.__dict__, "event": event, "subject": subject[:64]}
    _add_one(session, UsageCount.__table__, key)


def count_duration(session: Session, where: Where, seconds: float) -> None:
    """Add one submission that took `seconds` from start to submit to the histogram."""
    minutes = min(max(int(seconds // 60), 0), LONGEST_MINUTES)
    key = {
        "procedure_id": where.procedure_id,
        "procedure_version": where.procedure_version,
        "day": where.day,
        "locale": where.locale,
        "minutes": minutes,
    }
    _add_one(session, CompletionTime.__table__, key)


def first_time(session: Session, draft_token: str, mark: str) -> bool:
    """Mark that the draft did `mark`; tell whether it is the first time (one statement)."""
    statement = _insert(session, DraftMark.__table__).values(
        draft_token=draft_token, mark=mark[:80]
    )
    # RETURNING, not rowcount: psycopg reports no row count for an INSERT … ON CONFLICT
    inserted = session.execute(statement.on_conflict_do_nothing().returning(DraftMark.mark))
    return inserted.first() is not None


def has_mark(session: Session, draft_token: str, mark: str) -> bool:
    """Tell whether the draft has done `mark` before."""
    return session.get(DraftMark, (draft_token, mark[:80])) is not None
