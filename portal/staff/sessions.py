"""Staff sessions kept in the database, so that signing out or a changed account ends them.

The browser's signed cookie holds only a random token; the table holds its SHA-256. A session
whose row is gone (signed out, password changed, account switched off) opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.staff.models import StaffMember, StaffSession

#: a session is forgotten this long after it began, whatever the cookie says
LONGEST_SESSION = timedelta(hours=24)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, member: StaffMember, now: datetime) -> str:
    """Start a session for `member`; return the token for the browser to hold."""
    session.execute(delete(StaffSession).where(StaffSession.created_at <= now - LONGEST_SESSION))
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(id=_digest(token), staff_id=member.id, created_at=now))
    session.flush()
    return token


def member_of(session: Session, token: str | None, now: datetime) -> StaffMember | None:
    """Return the active member whose live session `token` is, if any."""
    if not isinstance(token, str) or not token:
        return None
    return session.scalar(
        select(StaffMember)
        .join(StaffSession, StaffSession.staff_id == StaffMember.id)
        .where(
            StaffSession.id == _digest(token),
            StaffSession.created_at > now - LONGEST_SESSION,
            StaffMember.active.is_(True),
        )
    )


def close_session(session: Session, token: str | None) -> None:
    """End the session `token` (signing out)."""
    if isinstance(token, str) and token:
        session.execute(delete(StaffSession).where(StaffSession.id == _digest(token)))


def close_sessions_of(session: Session, member: StaffMember, keep: str | None = None) -> None:
    """End every session of `member` (but `keep`, the one making the change, if given)."""
    statement = delete(StaffSession).where(StaffSession.staff_id == member.id)
    if keep:
        statement = statement.where(StaffSession.id != _digest(keep))
    session.execute(statement)
