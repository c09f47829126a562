"""The staff back office's tables: accounts, grants, sign-in failures, history, audit, counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base


class StaffMember(Base):
    """A member of city staff who may sign in to the back office."""

    __tablename__ = "staff_members"
    # A subject is only unique at the directory that issued it: the pair is the identity.
    __table_args__ = (
        UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_staff_members_oidc_identity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # None: the member signs in through the staff directory (OIDC) only.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The staff directory's issuer and its `sub` for this member; both or neither are set.
    oidc_issuer: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    last_sign_in_at: Mapped[datetime | None]


class ProcedureGrant(Base):
    """What one member may do with one procedure's submissions: clerk or viewer."""

    __tablename__ = "staff_grants"
    __table_args__ = (UniqueConstraint("staff_id", "procedure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), index=True
    )
    procedure_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))


class SignInFailure(Base):
    """One failed sign-in, counted per account and per address to slow guessing down."""

    __tablename__ = "staff_sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip_address: Mapped[str] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(index=True)


class StaffSession(Base):
    """A signed-in browser of a member: the SHA-256 of the token its cookie holds."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(index=True)


class StatusChange(Base):
    """One step of a submission's status workflow, with the clerk's note."""

    __tablename__ = "submission_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    message_to_applicant: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    changed_at: Mapped[datetime]


class AuditEvent(Base):
    """Who did what, when and from where; written once, never changed."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    # No foreign keys: the record outlives accounts and purged submissions.
    staff_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(32), index=True)
    procedure_id: Mapped[str | None] = mapped_column(String(64), index=True)
    submission_id: Mapped[int | None] = mapped_column(Integer, index=True)
    reference_number: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))


class DailyCount(Base):
    """How many purged submissions a procedure had per day and status: anonymous statistics."""

    __tablename__ = "submission_daily_counts"

    procedure_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class PreviewDraft(Base):
    """A procedure file pasted or uploaded by staff to preview; never served to residents."""

    __tablename__ = "staff_preview_drafts"

    token: Mapped[str] = mapped_column(String(43), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)


class AuditRecordIsFinal(Exception):
    """An attempt to change or delete an audit event."""


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper, _connection, target: AuditEvent) -> None:
    raise AuditRecordIsFinal(f"audit event {target.id} cannot be changed or deleted")
