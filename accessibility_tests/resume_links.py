"""Emailed resume links, opened by the walk: the audit reads them from its own outbox.

A browser cannot read the audit's email, so a journey's `arrange` step names the link it
needs (`resume:PROCEDURE:newest|older|expired`) and gets back the path to open. `expired`
first ends the newest link's time in the audit's throwaway database, as if days had passed.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask

PREFIX = "resume:"
LINK = re.compile(r"https?://[^/\s]+(/resume\?link=[^\s&]+&lang=\w+)")
WHICH = ("newest", "older", "expired")


def target(procedure_id: str, which: str) -> str:
    """Return the `arrange` target that opens a resume link of `procedure_id`."""
    if which not in WHICH:
        raise ValueError(f"no resume link {which!r}; use one of {WHICH}")
    return f"{PREFIX}{procedure_id}:{which}"


def open_link(app: Flask, arranged: str) -> str:
    """Return the path of the link an `arrange` target names (expiring it first if asked)."""
    from sqlalchemy import select

    from portal import clock
    from portal.extensions import db
    from portal.models import Draft, OutboxMessage, ResumeLink

    procedure_id, which = arranged.removeprefix(PREFIX).split(":")
    with app.app_context(), db.transaction() as tx:
        bodies = tx.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.submission_id.is_(None))
            .order_by(OutboxMessage.id.desc())
        )
        links = [found.group(1) for body in bodies if (found := LINK.search(body))]
        links = [link for link in links if _procedure_of(tx, link) == procedure_id]
        if len(links) < (2 if which == "older" else 1):
            raise AssertionError(f"no {which} resume link of {procedure_id} was emailed")
        if which == "expired":
            newest = tx.scalars(
                select(ResumeLink)
                .join(Draft, Draft.token == ResumeLink.draft_token)
                .where(Draft.procedure_id == procedure_id)
                .order_by(ResumeLink.created_at.desc())
            ).first()
            newest.expires_at = clock.now() - timedelta(seconds=1)
        return links[1] if which == "older" else links[0]


def _procedure_of(tx, link: str) -> str | None:
    """Return the procedure of the draft a link resumes (None once it is gone)."""
    from portal.models import Draft, ResumeLink
    from portal.resident.resume import link_signer
    from portal.resume_links import hash_secret

    token = link.split("link=", 1)[1].split("&", 1)[0]
    secret, _expires = link_signer().loads(token)
    found = tx.get(ResumeLink, hash_secret(secret))
    draft = tx.get(Draft, found.draft_token) if found else None
    return draft.procedure_id if draft else None
