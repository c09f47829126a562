"""Resume links: a draft saved for later, continued from an emailed link on any device.

A link is a random secret (only its SHA-256 is stored) that works until `expires_at`, in the
first browser session that opens it and no other; a newer link for the same draft replaces it,
and submitting or revoking ends it. The draft is kept until its newest link expires.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import Draft, ResumeLink

#: what opening a link found
Outcome = Literal["resume", "expired", "replaced", "used", "revoked", "submitted", "unknown"]


def hash_secret(secret: str) -> str:
    """Return the stored form of a link's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def live_links(session: Session, draft: Draft) -> list[ResumeLink]:
    """Return the links of `draft` nobody replaced or revoked (expired ones included)."""
    return list(
        session.scalars(
            select(ResumeLink).where(
                ResumeLink.draft_token == draft.token,
                ResumeLink.replaced_at.is_(None),
                ResumeLink.revoked_at.is_(None),
            )
        )
    )


def newest_link(session: Session, draft: Draft) -> ResumeLink | None:
    """Return the most recent link sent for `draft`, if any."""
    return session.scalars(
        select(ResumeLink)
        .where(ResumeLink.draft_token == draft.token)
        .order_by(ResumeLink.created_at.desc())
        .limit(1)
    ).first()


def issue(
    session: Session,
    draft: Draft,
    *,
    email: str,
    locale: str,
    page_id: str,
    now: datetime,
    days: int,
) -> tuple[ResumeLink, str]:
    """Make a new link for `draft` that replaces every older one; return it and its secret."""
    for older in live_links(session, draft):
        older.replaced_at = now
    secret = secrets.token_urlsafe(32)
    link = ResumeLink(
        secret_hash=hash_secret(secret),
        draft_token=draft.token,
        email=email,
        locale=locale,
        page_id=page_id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(link)
    return link, secret


def revoke(session: Session, draft: Draft, now: datetime) -> int:
    """End every live link of `draft`; return how many."""
    links = live_links(session, draft)
    for link in links:
        link.revoked_at = now
    return len(links)


@dataclass(frozen=True)
class Opened:
    """What opening a link found, and the link and draft when it found them."""

    outcome: Outcome
    link: ResumeLink | None = None
    draft: Draft | None = None


def open_link(
    session: Session, secret: str, device: str, now: datetime, *, claim: bool = True
) -> Opened:
    """Open the link with `secret` in the browser session `device` (`claim`: for good).

    The first session to claim a live link has it; it opens there again and nowhere else.
    Looking (claim=False) changes nothing, so a mail scanner fetching the link spends nothing.
    """
    link = session.get(ResumeLink, hash_secret(secret))
    if link is None:
        return Opened("unknown")
    draft = session.get(Draft, link.draft_token)
    if draft is None or now >= link.expires_at:
        return Opened("expired", link)
    if draft.submission_id is not None:
        return Opened("submitted", link, draft)
    if link.replaced_at is not None:
        return Opened("replaced", link, draft)
    if link.revoked_at is not None:
        return Opened("revoked", link, draft)
    if link.opened_by is not None and link.opened_by != device:
        return Opened("used", link, draft)
    if claim and link.opened_by is None and not _claimed(session, link, device):
        return Opened("used", link, draft)  # another browser claimed it a moment ago
    return Opened("resume", link, draft)


def _claimed(session: Session, link: ResumeLink, device: str) -> bool:
    """Claim `link` for `device` unless another session did first (one conditional UPDATE)."""
    claimed = session.execute(
        update(ResumeLink)
        .where(ResumeLink.secret_hash == link.secret_hash, ResumeLink.opened_by.is_(None))
        .values(opened_by=device)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(link)
    return claimed == 1


def kept_drafts(now: datetime):
    """Return the tokens of the drafts a live, unexpired link still keeps."""
    return select(ResumeLink.draft_token).where(
        ResumeLink.replaced_at.is_(None),
        ResumeLink.revoked_at.is_(None),
        ResumeLink.expires_at > now,
    )


def expired_drafts(now: datetime):
    """Return the tokens of unsubmitted drafts whose newest link has expired, untouched since."""
    return (
        select(Draft.token)
        .join(ResumeLink, ResumeLink.draft_token == Draft.token)
        .where(
            Draft.submission_id.is_(None),
            ResumeLink.replaced_at.is_(None),
            ResumeLink.revoked_at.is_(None),
            ResumeLink.expires_at <= now,
            Draft.updated_at <= ResumeLink.expires_at,
        )
    )


def spent_links(now: datetime):
    """Return the condition of links no longer needed: expired, or their draft submitted."""
    submitted = select(Draft.token).where(Draft.submission_id.is_not(None))
    return (ResumeLink.expires_at <= now) | ResumeLink.draft_token.in_(submitted)
