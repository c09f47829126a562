"""What the catalog and start page say about an event right now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.events.models import LotteryDraw, SeatCounter
from portal.procedure.model import Procedure

Kind = Literal["before", "seats", "waitlist", "full", "lottery", "closed"]


@dataclass(frozen=True)
class EventStatus:
    kind: Kind
    seats_left: int = 0


def event_statuses(
    session: Session, procedures: list[Procedure], now: datetime
) -> dict[str, EventStatus]:
    """Return the live status of every event among `procedures`, reading all counters at once."""
    events = [p for p in procedures if p.capacity is not None]
    if not events:
        return {}
    ids = [p.id for p in events]
    counters = {
        c.procedure_id: c
        for c in session.scalars(select(SeatCounter).where(SeatCounter.procedure_id.in_(ids)))
    }
    drawn = set(
        session.scalars(select(LotteryDraw.procedure_id).where(LotteryDraw.procedure_id.in_(ids)))
    )
    return {p.id: _status(p, counters.get(p.id), p.id in drawn, now) for p in events}


def _status(
    procedure: Procedure, counter: SeatCounter | None, drawn: bool, now: datetime
) -> EventStatus:
    window = procedure.window.state(now)
    if window == "before":
        return EventStatus("before")
    if window == "closed" or drawn:
        return EventStatus("closed")
    capacity = procedure.capacity
    if capacity.allocation == "lottery":
        return EventStatus("lottery")
    seats_left = capacity.limit - (counter.seats_taken if counter else 0)
    if seats_left > 0:
        return EventStatus("seats", seats_left)
    waiting = counter.waitlist_taken if counter else 0
    return EventStatus("waitlist" if waiting < capacity.waitlist else "full")
