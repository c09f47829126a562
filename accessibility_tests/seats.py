"""An event's seats, put in the situation a journey audits: open, waiting list only, full.

The audit's own throwaway database only: the counters are set directly, as if others had
applied, so that each situation's pages can be reached in any order and any number of times.
An event that takes one application per My Number card also forgets the audit's earlier
applications: the audit applies with the same test card every time.
"""

from __future__ import annotations

from typing import Literal

from flask import Flask

Situation = Literal["open", "waitlist", "full"]
SITUATIONS: tuple[Situation, ...] = ("open", "waitlist", "full")


def arrange(app: Flask, procedure_id: str, situation: str) -> None:
    """Set the seats and waitlist places taken of `procedure_id` for `situation`."""
    from sqlalchemy import update

    from portal.events.models import ACTIVE_STATES, Allocation, SeatCounter
    from portal.extensions import db

    if situation not in SITUATIONS:
        raise ValueError(f"no seat situation {situation!r}; use one of {SITUATIONS}")
    procedure = app.extensions["portal.procedures"].get(procedure_id)
    capacity = procedure.capacity if procedure is not None else None
    if capacity is None:
        raise ValueError(f"{procedure_id} has no capacity: its seats cannot be arranged")
    seats = 0 if situation == "open" else capacity.limit
    waiting = capacity.waitlist if situation == "full" else 0
    with app.app_context(), db.transaction() as tx:
        counter = tx.get(SeatCounter, procedure_id)
        if counter is None:
            counter = SeatCounter(procedure_id=procedure_id, queue_seq=0)
            tx.add(counter)
        counter.seats_taken = seats
        counter.waitlist_taken = waiting
        if capacity.one_per == "identity":
            tx.execute(
                update(Allocation)
                .where(Allocation.procedure_id == procedure_id)
                .where(Allocation.state.in_(ACTIVE_STATES))
                .values(state="cancelled")
            )
