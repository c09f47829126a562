"""Tables for seats: one counter row per event, one allocation per application."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base

ACTIVE_STATES = ("confirmed", "waitlisted", "entered")


class SeatCounter(Base):
    """Seats and waitlist places taken for one event; updated only by conditional UPDATEs."""

    __tablename__ = "seat_counters"

    procedure_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seats_taken: Mapped[int] = mapped_column(default=0)
    waitlist_taken: Mapped[int] = mapped_column(default=0)
    # Last waitlist position handed out: taken under the same row lock as the place itself,
    # so positions follow the order in which the database granted places.
    queue_seq: Mapped[int] = mapped_column(default=0)


class Allocation(Base):
    """Where one application stands: confirmed, waitlisted, entered in a lottery, lost, cancelled."""

    __tablename__ = "allocations"
    __table_args__ = (
        # One active application per person and event, enforced by the database.
        Index(
            "uq_allocations_person_active",
            "procedure_id",
            "person_key",
            unique=True,
            sqlite_where=text("state IN ('confirmed', 'waitlisted', 'entered')"),
            postgresql_where=text("state IN ('confirmed', 'waitlisted', 'entered')"),
        ),
        Index("ix_allocations_queue", "procedure_id", "state", "queue_position"),
    )

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    procedure_id: Mapped[str] = mapped_column(String(64))
    person_key: Mapped[str] = mapped_column(String(64))
    party_size: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))
    # Order on the waitlist: arrival order for first come, draw order for a lottery.
    queue_position: Mapped[int | None]
    updated_at: Mapped[datetime]


class LotteryDraw(Base):
    """A lottery's draw: recorded once, with the seed that reproduces it."""

    __tablename__ = "lottery_draws"

    procedure_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seed: Mapped[str] = mapped_column(String(40))
    drawn_at: Mapped[datetime]
    applicants: Mapped[int]
    winners: Mapped[int]
