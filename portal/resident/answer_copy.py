"""A copy of the answers (控え) by email, for residents who ask for one when they submit."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import render_template, session
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.i18n import current_locale, plain_furigana, plain_text
from portal.models import Submission
from portal.notify.outbox import enqueue
from portal.procedure.answers import answer_rows
from portal.procedure.model import Procedure

#: the procedures this browser asked a copy for (kept while the resident goes to sign)
WANTED_KEY = "answer_copy"

Compose = Callable[[Submission], tuple[str, str]]


def choice_from(form: Mapping[str, str]) -> bool | None:
    """Return the choice a check-page POST made (None: the page offered none)."""
    return form.get("send_copy") == "1" if "copy_offered" in form else None


def remember_choice(procedure: Procedure, wanted: bool | None) -> bool:
    """Record this submit's choice (None: no choice sent) and return whether a copy is wanted."""
    chosen = [p for p in session.get(WANTED_KEY, []) if p != procedure.id]
    if wanted is None:
        return procedure.id in session.get(WANTED_KEY, [])
    session[WANTED_KEY] = [*chosen, procedure.id] if wanted else chosen
    return wanted


def copy_email(procedure: Procedure, submission: Submission, card: set[str]) -> tuple[str, str]:
    """Return the subject and plain-text body of the copy; what the card gave is left out."""
    rows = [
        row
        for row in answer_rows(procedure, submission.answers, current_locale())
        if row.field_id not in card
    ]
    subject = plain_furigana(
        _(
            "Copy of your answers: %(title)s (%(reference)s)",
            title=plain_text(procedure.title),
            reference=submission.reference_number,
        )
    )
    body = render_template(
        "email/answer_copy.txt",
        procedure=procedure,
        submission=submission,
        rows=rows,
        card_left_out=bool(card),
    )
    return subject, body


def with_copy(
    tx: Session, procedure: Procedure, card: set[str], wanted: bool, confirmation: Compose
) -> Compose:
    """Return a composer of the confirmation that also puts the copy in the outbox if wanted.

    submit() calls it once, for a new submission with an email address, in its transaction.
    """

    def compose(submission: Submission) -> tuple[str, str]:
        composed = confirmation(submission)
        if wanted:
            subject, body = copy_email(procedure, submission, card)
            enqueue(
                tx,
                recipient=submission.email,
                subject=subject,
                body=body,
                now=submission.submitted_at,
                submission_id=submission.id,
            )
        return composed

    return compose
