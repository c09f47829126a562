"""Draw a lottery: winners, then a waitlist order, reproducible from a recorded seed."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.events.models import Allocation, LotteryDraw, SeatCounter
from portal.events.seats import Notify, _ensure_counter
from portal.models import Submission
from portal.procedure.model import Procedure


class DrawRefused(Exception):
    """The draw cannot happen (already drawn, or before the window closed)."""


@dataclass(frozen=True)
class DrawResult:
    seed: str
    won: list[int]
    waitlisted: list[int]
    lost: list[int]


def order_entries(entries: list[Allocation], seed: str) -> list[Allocation]:
    """Return the entries in draw order: the same seed and entries always give the same order."""
    ordered = sorted(entries, key=lambda a: a.submission_id)
    random.Random(seed).shuffle(ordered)
    return ordered


def draw(
    session: Session,
    procedure: Procedure,
    *,
    now: datetime,
    notify: Notify,
    seed: str | None = None,
) -> DrawResult:
    """Draw `procedure`'s lottery once; parties win or lose whole."""
    capacity = procedure.capacity
    if capacity is None or capacity.allocation != "lottery":
        raise DrawRefused(f"{procedure.id} is not a lottery")
    if procedure.window.closes is None or now < procedure.window.closes:
        raise DrawRefused("applications are still open; draw after the window closes")
    _ensure_counter(session, procedure.id)
    session.execute(
        select(SeatCounter).where(SeatCounter.procedure_id == procedure.id).with_for_update()
    )
    if session.get(LotteryDraw, procedure.id) is not None:
        raise DrawRefused(f"{procedure.id} has already been drawn")
    seed = seed or secrets.token_hex(16)
    entries = session.scalars(
        select(Allocation).where(
            Allocation.procedure_id == procedure.id, Allocation.state == "entered"
        )
    ).all()
    seats, waiting = capacity.limit, capacity.waitlist
    result = DrawResult(seed, [], [], [])
    for place, entry in enumerate(order_entries(list(entries), seed), start=1):
        if entry.party_size <= seats:
            seats -= entry.party_size
            entry.state, outcome = "confirmed", result.won
        elif entry.party_size <= waiting:
            waiting -= entry.party_size
            entry.state, entry.queue_position, outcome = "waitlisted", place, result.waitlisted
        else:
            entry.state, outcome = "lost", result.lost
        entry.updated_at = now
        outcome.append(entry.submission_id)
    session.execute(
        update(SeatCounter)
        .where(SeatCounter.procedure_id == procedure.id)
        .values(seats_taken=capacity.limit - seats, waitlist_taken=capacity.waitlist - waiting)
    )
    session.add(
        LotteryDraw(
            procedure_id=procedure.id,
            seed=seed,
            drawn_at=now,
            applicants=len(entries),
            winners=len(result.won),
        )
    )
    session.flush()
    for entry in entries:
        notify(session.get(Submission, entry.submission_id), entry, f"lottery_{entry.state}")
    return result
