"""The tables: drafts being filled in, submissions, and the outbox of emails."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class Draft(Base):
    """Answers a resident is still working on, tied to their browser session."""

    __tablename__ = "drafts"

    token: Mapped[str] = mapped_column(String(43), primary_key=True)
    procedure_id: Mapped[str] = mapped_column(String(64))
    procedure_version: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    completed_pages: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))


class Submission(Base):
    """A submitted procedure: what the resident sent, and where it stands."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference_number: Mapped[str] = mapped_column(String(16), unique=True)
    # The draft it came from: unique, so a replayed submit cannot make a second one.
    draft_token: Mapped[str] = mapped_column(String(43), unique=True)
    procedure_id: Mapped[str] = mapped_column(String(64), index=True)
    procedure_version: Mapped[int]
    answers: Mapped[dict[str, Any]]
    email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32), default="received")
    submitted_at: Mapped[datetime]
    delete_after: Mapped[datetime] = mapped_column(index=True)


class OutboxMessage(Base):
    """An email to send, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_unsent", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class ResumeLink(Base):
    """A link emailed to continue a draft elsewhere; only a hash of its secret is kept."""

    __tablename__ = "resume_links"

    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    draft_token: Mapped[str] = mapped_column(
        ForeignKey("drafts.token", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(16))
    #: the page the resident left (a question page's id, or "check")
    page_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    #: the browser session that opened it: it opens there again, and nowhere else
    opened_by: Mapped[str | None] = mapped_column(String(43))
    replaced_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
