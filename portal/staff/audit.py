"""The audit trail: every view, export, status change and deletion, written once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Submission
from portal.staff.models import AuditEvent, StaffMember

ACTIONS = (
    "sign_in",
    "sign_in_refused",
    "sign_out",
    "view_submission",
    "export",
    "change_status",
    "purge",
    "account_change",
)
SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class Origin:
    """Where an action came from."""

    ip_address: str | None = None
    user_agent: str | None = None


def record(
    session: Session,
    *,
    action: str,
    now: datetime,
    actor: StaffMember | None,
    origin: Origin = Origin(),
    procedure_id: str | None = None,
    submission: Submission | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the caller's transaction."""
    event = AuditEvent(
        at=now,
        staff_id=actor.id if actor else None,
        actor=actor.email if actor else SYSTEM_ACTOR,
        action=action,
        procedure_id=procedure_id or (submission.procedure_id if submission else None),
        submission_id=submission.id if submission else None,
        reference_number=submission.reference_number if submission else None,
        detail=detail or {},
        ip_address=origin.ip_address,
        user_agent=(origin.user_agent or "")[:300] or None,
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int


def search(
    session: Session,
    *,
    action: str | None = None,
    procedure_id: str | None = None,
    reference_number: str | None = None,
    actor: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> AuditPage:
    """Return the audit events that match, newest first, one page at a time."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if procedure_id:
        query = query.where(AuditEvent.procedure_id == procedure_id)
    if reference_number:
        query = query.where(AuditEvent.reference_number == reference_number)
    if actor:
        query = query.where(AuditEvent.actor == actor.strip().lower())
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    events = session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return AuditPage(list(events), total, page, pages)
