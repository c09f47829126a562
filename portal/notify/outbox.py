"""Put an email in the outbox, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.models import OutboxMessage


def enqueue(
    session: Session,
    *,
    recipient: str,
    subject: str,
    body: str,
    now: datetime,
    submission_id: int | None = None,
) -> OutboxMessage:
    """Add one email to the outbox; it is sent only if the transaction commits."""
    message = OutboxMessage(
        submission_id=submission_id,
        recipient=recipient,
        subject=subject,
        body=body,
        created_at=now,
        next_attempt_at=now,
    )
    session.add(message)
    return message
