"""Sign-ins kept on the server: open, find, keep alive, end; bind drafts; fill from the card."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from portal.identity.adapter import IdentityResult
from portal.identity.card_claims import Gender, gender
from portal.identity.keys import subject_hash
from portal.identity.models import DraftIdentity, IdentitySession, SubmissionIdentity
from portal.models import Draft, Submission
from portal.procedure.model import Field, Procedure

IDLE_LIMIT = timedelta(minutes=15)
#: When the warning turns urgent: this much before the sign-in ends.
WARN_BEFORE = timedelta(minutes=5)
#: how a gender from the card is written into a text answer (answers are kept in Japanese)
GENDER_TEXT = {Gender.female: "女性", Gender.male: "男性", Gender.unknown: "不明"}


def open_session(session: Session, result: IdentityResult, now: datetime) -> IdentitySession:
    """Record a verified sign-in and return it."""
    identity = IdentitySession(
        token=secrets.token_urlsafe(32),
        adapter=result.adapter,
        subject_hash=subject_hash(result.issuer, result.subject),
        assurance=result.assurance,
        acr=result.acr,
        authenticated_at=result.authenticated_at,
        claims=dict(result.claims),
        id_token=result.id_token,
        prefill_consent={},
        created_at=now,
        last_seen_at=now,
    )
    session.add(identity)
    return identity


def expires_at(identity: IdentitySession, idle: timedelta = IDLE_LIMIT) -> datetime:
    """Return when the sign-in ends unless the resident does something."""
    return identity.last_seen_at + idle


def find_session(
    session: Session, token: str | None, now: datetime, idle: timedelta = IDLE_LIMIT
) -> tuple[IdentitySession | None, bool]:
    """Return (the live sign-in for `token`, whether one had just expired); ends expired ones."""
    identity = session.get(IdentitySession, token) if token else None
    if identity is None:
        return None, False
    if now >= expires_at(identity, idle):
        session.delete(identity)
        return None, True
    return identity, False


def end_session(session: Session, token: str | None) -> IdentitySession | None:
    """Forget a sign-in; return what it was, for RP-initiated logout."""
    identity = session.get(IdentitySession, token) if token else None
    if identity is not None:
        session.delete(identity)
    return identity


def bind_draft(session: Session, draft: Draft, identity: IdentitySession) -> bool:
    """Tie `draft` to the signed-in person; False if it already belongs to someone else."""
    bound = session.get(DraftIdentity, draft.token)
    if bound is None:
        session.add(
            DraftIdentity(
                draft_token=draft.token,
                adapter=identity.adapter,
                subject_hash=identity.subject_hash,
            )
        )
        return True
    return bound.adapter == identity.adapter and bound.subject_hash == identity.subject_hash


def prefill_fields(procedure: Procedure) -> list[Field]:
    """Return the questions the card can fill."""
    return [field for field in procedure.fields() if field.card_fact]


def prefill_answer(field: Field, claims: dict[str, Any]) -> str | None:
    """Return the answer the card gives for `field`, or None when it gives none that fits."""
    value = claims.get(field.card_fact or "")
    if not isinstance(value, str) or not value:
        return None
    if field.card_fact == "gender":
        found = gender(value)
        if getattr(field, "options", None) is not None:
            return found.value if field.option_label(found.value) else None
        return GENDER_TEXT[found]
    return value


def locked_fields(procedure: Procedure, identity: IdentitySession | None) -> dict[str, str]:
    """Return {field id: answer} for questions filled from the card with the resident's consent."""
    if identity is None or identity.prefill_consent.get(procedure.id) is not True:
        return {}
    found = {
        field.id: prefill_answer(field, identity.claims) for field in prefill_fields(procedure)
    }
    return {key: value for key, value in found.items() if value is not None}


def apply_prefill(draft: Draft, locked: dict[str, str], now: datetime) -> None:
    """Write the card's answers into the draft (a resident cannot change them)."""
    if any(draft.answers.get(key) != value for key, value in locked.items()):
        draft.answers = {**draft.answers, **locked}
        draft.updated_at = now


def record_identity(session: Session, submission: Submission, identity: IdentitySession) -> None:
    """Record on a submission how its sender proved who they are."""
    session.add(
        SubmissionIdentity(
            submission_id=submission.id,
            adapter=identity.adapter,
            subject_hash=identity.subject_hash,
            assurance=identity.assurance,
            acr=identity.acr,
            authenticated_at=identity.authenticated_at,
        )
    )
