"""Give out seats: first come first served, the waitlist, cancellation with promotion.

Every change to a counter is one conditional UPDATE, so the database, not Python,
decides who gets the last seat. Lock order is always counter row, then allocations,
so cancellations and sign-ups cannot deadlock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.events.models import ACTIVE_STATES, Allocation, SeatCounter
from portal.indicators import journey_counts
from portal.models import Submission
from portal.procedure.model import Procedure

#: called with (submission, allocation, what happened) inside the same transaction
Notify = Callable[[Submission, Allocation, str], None]


class Full(Exception):
    """No seat and no waitlist place is left."""


class WaitlistOffered(Exception):
    """No seat is left, but the resident may join the waitlist at `position`."""

    def __init__(self, position: int):
        super().__init__(position)
        self.position = position


class AlreadyApplied(Exception):
    """This person already holds an active application for the event."""


@dataclass(frozen=True)
class Availability:
    """What an event can still offer, in numbers."""

    seats_left: int
    waitlist_left: int
    waitlisted: int

    def offer(self, party: int) -> Literal["seat", "waitlist", "full"]:
        """Return what an application of `party` people would get now."""
        if party <= self.seats_left:
            return "seat"
        if party <= self.waitlist_left:
            return "waitlist"
        return "full"


def person_key(procedure: Procedure, who: str) -> str:
    """Return the key that makes one application per person (an email or an identity subject)."""
    return hashlib.sha256(f"{procedure.id}\x00{who.strip().lower()}".encode()).hexdigest()


def party_size(procedure: Procedure, answers: dict) -> int:
    """Return how many seats an application takes."""
    field = procedure.capacity.party_size if procedure.capacity else None
    return int(answers.get(field, 1)) if field else 1


def _ensure_counter(session: Session, procedure_id: str) -> None:
    if session.get(SeatCounter, procedure_id) is not None:
        return
    try:
        with session.begin_nested():
            session.add(SeatCounter(procedure_id=procedure_id, seats_taken=0, waitlist_taken=0))
    except IntegrityError:
        pass  # another process created it first


def availability(session: Session, procedure: Procedure) -> Availability:
    """Return the seats and waitlist places left now (a read; nothing is held)."""
    capacity = procedure.capacity
    counter = session.get(SeatCounter, procedure.id)
    seats, waiting = (counter.seats_taken, counter.waitlist_taken) if counter else (0, 0)
    waitlisted = session.scalar(
        select(func.count())
        .select_from(Allocation)
        .where(Allocation.procedure_id == procedure.id, Allocation.state == "waitlisted")
    )
    return Availability(
        max(capacity.limit - seats, 0), max(capacity.waitlist - waiting, 0), waitlisted
    )


def _take(session: Session, procedure_id: str, column, amount: int, limit: int) -> bool:
    statement = (
        update(SeatCounter)
        .where(SeatCounter.procedure_id == procedure_id, column + amount <= limit)
        .values({column: column + amount})
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount == 1


def _join_queue(session: Session, procedure_id: str, amount: int, limit: int) -> int | None:
    """Take `amount` waitlist places; return the queue position, or None when they are gone."""
    statement = (
        update(SeatCounter)
        .where(
            SeatCounter.procedure_id == procedure_id, SeatCounter.waitlist_taken + amount <= limit
        )
        .values(
            waitlist_taken=SeatCounter.waitlist_taken + amount, queue_seq=SeatCounter.queue_seq + 1
        )
        .returning(SeatCounter.queue_seq)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).scalar_one_or_none()


def _give_back(session: Session, procedure_id: str, column, amount: int) -> None:
    session.execute(
        update(SeatCounter)
        .where(SeatCounter.procedure_id == procedure_id)
        .values({column: column - amount})
        .execution_options(synchronize_session=False)
    )


def allocate(
    session: Session,
    procedure: Procedure,
    submission: Submission,
    *,
    party: int,
    who: str,
    accept_waitlist: bool,
    now: datetime,
) -> Allocation:
    """Give `submission` a seat, a waitlist place or a lottery entry, in the caller's transaction."""
    capacity = procedure.capacity
    key = person_key(procedure, who)
    held = session.scalar(
        select(Allocation.submission_id).where(
            Allocation.procedure_id == procedure.id,
            Allocation.person_key == key,
            Allocation.state.in_(ACTIVE_STATES),
        )
    )
    if held is not None:
        raise AlreadyApplied()
    allocation = Allocation(
        submission_id=submission.id,
        procedure_id=procedure.id,
        person_key=key,
        party_size=party,
        updated_at=now,
    )
    if capacity.allocation == "lottery":
        allocation.state = "entered"
    else:
        _ensure_counter(session, procedure.id)
        if _take(session, procedure.id, SeatCounter.seats_taken, party, capacity.limit):
            allocation.state = "confirmed"
        elif (
            accept_waitlist
            and (position := _join_queue(session, procedure.id, party, capacity.waitlist))
            is not None
        ):
            allocation.state = "waitlisted"
            allocation.queue_position = position
        elif availability(session, procedure).offer(party) == "waitlist":
            raise WaitlistOffered(availability(session, procedure).waitlisted + 1)
        else:
            raise Full()
    session.add(allocation)
    try:
        session.flush()
    except IntegrityError:
        # The partial unique index caught a second application racing this one.
        raise AlreadyApplied() from None
    return allocation


def waitlist_position(session: Session, allocation: Allocation) -> int | None:
    """Return the 1-based place of a waitlisted allocation."""
    if allocation.state != "waitlisted":
        return None
    return session.scalar(
        select(func.count())
        .select_from(Allocation)
        .where(
            Allocation.procedure_id == allocation.procedure_id,
            Allocation.state == "waitlisted",
            Allocation.queue_position <= allocation.queue_position,
        )
    )


def cancel(
    session: Session, procedure: Procedure, submission: Submission, *, now: datetime, notify: Notify
) -> list[Allocation]:
    """Cancel an application; its seat goes to the first waiting parties that fit. Returns them."""
    _ensure_counter(session, procedure.id)
    session.execute(
        select(SeatCounter).where(SeatCounter.procedure_id == procedure.id).with_for_update()
    )
    allocation = session.get(
        Allocation, submission.id, with_for_update=True, populate_existing=True
    )
    if allocation is None or allocation.state not in ACTIVE_STATES:
        return []
    if allocation.state == "confirmed":
        _give_back(session, procedure.id, SeatCounter.seats_taken, allocation.party_size)
    elif allocation.state == "waitlisted":
        _give_back(session, procedure.id, SeatCounter.waitlist_taken, allocation.party_size)
    was_confirmed = allocation.state == "confirmed"
    allocation.state = "cancelled"
    allocation.updated_at = now
    submission.status = "withdrawn"
    journey_counts.cancelled(session, procedure, submission, now)
    session.flush()
    return promote(session, procedure, now=now, notify=notify) if was_confirmed else []


def promote(
    session: Session, procedure: Procedure, *, now: datetime, notify: Notify
) -> list[Allocation]:
    """Move waiting parties, in queue order, into free seats wherever the whole party fits."""
    promoted = []
    waiting = session.scalars(
        select(Allocation)
        .where(Allocation.procedure_id == procedure.id, Allocation.state == "waitlisted")
        .order_by(Allocation.queue_position)
        .with_for_update()
    ).all()
    for candidate in waiting:
        if _take(
            session,
            procedure.id,
            SeatCounter.seats_taken,
            candidate.party_size,
            procedure.capacity.limit,
        ):
            _give_back(session, procedure.id, SeatCounter.waitlist_taken, candidate.party_size)
            candidate.state = "confirmed"
            candidate.updated_at = now
            promoted.append(candidate)
            notify(session.get(Submission, candidate.submission_id), candidate, "promoted")
    return promoted


@dataclass(frozen=True)
class Booking:
    """Where one application stands, for staff lists and exports."""

    state: str
    party_size: int
    waitlist_position: int | None


def bookings(session: Session, procedure_id: str) -> dict[int, Booking]:
    """Return every application's booking for an event, by submission id (one query)."""
    rows = session.scalars(
        select(Allocation)
        .where(Allocation.procedure_id == procedure_id)
        .order_by(Allocation.queue_position)
    ).all()
    places = iter(range(1, len(rows) + 1))
    return {
        row.submission_id: Booking(
            row.state, row.party_size, next(places) if row.state == "waitlisted" else None
        )
        for row in rows
    }
