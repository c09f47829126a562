"""Where the resident journey meets identity: the gate, the card's answers, the submission hook."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, g, redirect, request, session, url_for
from sqlalchemy.orm import Session

from portal import clock
from portal.extensions import db
from portal.identity.models import IdentitySession
from portal.identity.registry import AdapterRegistry
from portal.identity.sessions import (
    WARN_BEFORE,
    apply_prefill,
    bind_draft,
    expires_at,
    find_session,
    locked_fields,
    prefill_fields,
    record_identity,
)
from portal.identity.signatures import SignatureRequired, record_signature
from portal.models import Draft, Submission
from portal.procedure.answers import readable
from portal.procedure.model import Field, Procedure

__all__ = [
    "IdentityRequired",
    "SignatureRequired",
    "guard",
    "card_answers",
    "prefilled_rows",
    "submission_recorder",
    "status",
]
SESSION_KEY = "identity"
RETURN_KEY = "identity_return"


class IdentityRequired(Exception):
    """A strict-identity procedure was about to be submitted without a live sign-in."""


def registry() -> AdapterRegistry:
    """Return the app's identity adapters."""
    return current_app.extensions["portal.identity"]


def idle_limit() -> timedelta:
    """Return how long a sign-in lasts without activity."""
    return timedelta(minutes=current_app.config.get("IDENTITY_IDLE_MINUTES", 15))


def guard(procedure: Procedure, draft: Draft | None):
    """Return a redirect when `procedure` needs a sign-in, consent or another draft; else None."""
    if procedure.identity == "none":
        return None
    now = clock.now()
    with db.transaction() as tx:
        identity, expired = find_session(tx, session.get(SESSION_KEY), now, idle_limit())
        if identity is None:
            session.pop(SESSION_KEY, None)
            if request.method == "GET":
                session[RETURN_KEY] = request.path
            return redirect(
                url_for(
                    "identity.sign_in", procedure_id=procedure.id, expired="1" if expired else None
                )
            )
        if draft is not None and not bind_draft(tx, draft, identity):
            session["drafts"] = {
                k: v for k, v in session.get("drafts", {}).items() if k != procedure.id
            }
            return redirect(url_for("resident.start", procedure_id=procedure.id))
        if prefill_fields(procedure) and procedure.id not in identity.prefill_consent:
            if request.method == "GET":
                session[RETURN_KEY] = request.path
            return redirect(url_for("identity.consent", procedure_id=procedure.id))
        identity.last_seen_at = now
        if draft is not None:
            apply_prefill(draft, locked_fields(procedure, identity), now)
    g.identity = identity
    return None


def card_answers(procedure: Procedure) -> dict[str, str]:
    """Return {field id: answer} for the questions this request's sign-in fills."""
    return locked_fields(procedure, g.get("identity"))


def prefilled_rows(
    fields: list[Field], answers: dict[str, str], locale: str
) -> list[dict[str, Any]]:
    """Return the read-only rows to show for the card-filled questions among `fields`."""
    return [
        {"field": f, "value": readable(f, answers[f.id], locale)} for f in fields if f.id in answers
    ]


def submission_recorder(procedure: Procedure):
    """Return the hook submit() calls to record identity on the submission, in its transaction."""

    def record(tx: Session, submission: Submission) -> None:
        if procedure.identity == "none":
            return
        identity = g.get("identity")
        if identity is None:
            raise IdentityRequired()
        record_identity(tx, submission, identity)
        record_signature(tx, procedure, submission)

    return record


def status() -> dict[str, Any] | None:
    """Return what the sign-in banner shows (None when nobody is signed in); changes nothing."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    identity = db.session.get(IdentitySession, token)
    if identity is None:
        return None
    ends = expires_at(identity, idle_limit())
    now = clock.now()
    if now >= ends:
        return None
    return {
        "name": identity.claims.get("name", ""),
        "expires_at": ends,
        "warn": ends - now <= WARN_BEFORE,
        "next": request.full_path.rstrip("?"),
    }
