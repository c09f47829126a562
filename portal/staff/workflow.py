"""The status workflow: which change is allowed, recorded with a note and told by email."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import Submission
from portal.notify.outbox import enqueue
from portal.staff import audit
from portal.staff.models import StaffMember, StatusChange

# 受付 → 審査中 → 完了 / 差戻し / 却下 / 取下げ
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("in_review", "returned", "rejected", "withdrawn"),
    "in_review": ("completed", "returned", "rejected", "withdrawn"),
    "returned": ("in_review", "rejected", "withdrawn"),
    "completed": (),
    "rejected": (),
    "withdrawn": (),
}
NEEDS_MESSAGE = frozenset({"returned"})

Compose = Callable[[Submission, StatusChange], tuple[str, str]]


class TransitionError(Exception):
    """A status change that cannot be made; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StatusRequest:
    """A clerk's request: from the status they saw, to another, with their note."""

    expected_status: str
    to_status: str
    note: str
    message_to_applicant: str | None = None


def next_statuses(status: str) -> tuple[str, ...]:
    """Return the statuses a submission in `status` may move to."""
    return TRANSITIONS.get(status, ())


def history(session: Session, submission: Submission) -> list[StatusChange]:
    """Return the submission's status changes, oldest first."""
    return list(
        session.scalars(
            select(StatusChange)
            .where(StatusChange.submission_id == submission.id)
            .order_by(StatusChange.changed_at, StatusChange.id)
        )
    )


def change_status(
    session: Session,
    submission: Submission,
    request: StatusRequest,
    *,
    actor: StaffMember,
    now: datetime,
    origin: audit.Origin,
    compose: Compose,
) -> StatusChange:
    """Move `submission` on, with the note, the audit event and the email in one transaction."""
    if request.to_status not in next_statuses(request.expected_status):
        raise TransitionError("not_allowed")
    if not request.note.strip():
        raise TransitionError("note_missing")
    message = (request.message_to_applicant or "").strip() or None
    if request.to_status in NEEDS_MESSAGE and not message:
        raise TransitionError("message_missing")
    # Only if nobody moved it meanwhile: the status in the WHERE makes the change conditional.
    moved = session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.status == request.expected_status)
        .values(status=request.to_status)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise TransitionError("stale")
    session.refresh(submission)
    change = StatusChange(
        submission_id=submission.id,
        from_status=request.expected_status,
        to_status=request.to_status,
        note=request.note.strip(),
        message_to_applicant=message,
        staff_id=actor.id,
        changed_at=now,
    )
    session.add(change)
    audit.record(
        session,
        action="change_status",
        now=now,
        actor=actor,
        origin=origin,
        submission=submission,
        detail={"from": request.expected_status, "to": request.to_status},
    )
    if submission.email:
        subject, body = compose(submission, change)
        enqueue(
            session,
            recipient=submission.email,
            subject=subject,
            body=body,
            now=now,
            submission_id=submission.id,
        )
    return change
