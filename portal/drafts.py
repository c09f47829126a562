"""Drafts: the answers a resident has given so far, kept on the server."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.models import Draft
from portal.procedure.model import Procedure


def start_draft(session: Session, procedure: Procedure, now: datetime) -> Draft:
    """Create an empty draft for `procedure`."""
    draft = Draft(
        token=secrets.token_urlsafe(32),
        procedure_id=procedure.id,
        procedure_version=procedure.version,
        answers={},
        completed_pages=[],
        created_at=now,
        updated_at=now,
    )
    session.add(draft)
    return draft


def find_draft(session: Session, token: str | None, procedure: Procedure) -> Draft | None:
    """Return the draft with `token` if it belongs to `procedure`."""
    if not token:
        return None
    draft = session.get(Draft, token)
    if draft is None or draft.procedure_id != procedure.id:
        return None
    return draft


def record_page(draft: Draft, page_id: str, answers: dict[str, Any], now: datetime) -> None:
    """Store a page's answers (None removes an answer) and mark the page completed."""
    merged = {**draft.answers, **answers}
    draft.answers = {key: value for key, value in merged.items() if value is not None}
    if page_id not in draft.completed_pages:
        draft.completed_pages = [*draft.completed_pages, page_id]
    draft.updated_at = now


def set_answer(draft: Draft, field_id: str, value: Any, now: datetime) -> None:
    """Store one answer without completing its page (the address look-up uses this)."""
    draft.answers = {**draft.answers, field_id: value}
    draft.updated_at = now
