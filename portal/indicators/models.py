"""The anonymous usage tables: counts per day, completion times, and a draft's first times."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base


class UsageCount(Base):
    """How often something happened to a procedure on one day: no resident in it, only a count.

    `event` is one of portal.indicators.counting.EVENTS; `subject` is the page id of
    `page_reached`, the question id of `validation_error`, and empty otherwise.
    """

    __tablename__ = "usage_daily_counts"

    procedure_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    procedure_version: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    identity: Mapped[str] = mapped_column(String(16), primary_key=True)
    event: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class CompletionTime(Base):
    """How many submissions of a day took a given number of whole minutes from start to submit."""

    __tablename__ = "usage_completion_minutes"

    procedure_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    procedure_version: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    minutes: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class DraftMark(Base):
    """Something a draft has done once (reached a page, met an error): counted the first time.

    Deleted with the draft; the counts it guards stay.
    """

    __tablename__ = "usage_draft_marks"

    draft_token: Mapped[str] = mapped_column(
        ForeignKey("drafts.token", ondelete="CASCADE"), primary_key=True
    )
    mark: Mapped[str] = mapped_column(String(80), primary_key=True)
