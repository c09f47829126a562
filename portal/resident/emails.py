"""Emails to residents, rendered in the language they used."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import URLSafeSerializer
from sqlalchemy.orm import Session

from portal.events.models import Allocation
from portal.events.seats import Notify, waitlist_position
from portal.i18n import plain_furigana, plain_text, use_locale
from portal.models import ResumeLink, Submission
from portal.notify.outbox import enqueue
from portal.procedure.model import Procedure

SUBJECTS = {
    "promoted": _l("A seat is now yours: %(title)s (%(reference)s)"),
    "lottery_confirmed": _l("You won a place in the lottery: %(title)s (%(reference)s)"),
    "lottery_waitlisted": _l(
        "You are on the waiting list after the lottery: %(title)s (%(reference)s)"
    ),
    "lottery_lost": _l("Lottery result: %(title)s (%(reference)s)"),
}


def cancel_signer() -> URLSafeSerializer:
    """Return the signer of the cancel links sent by email."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cancel-application")


def _context(session: Session, procedure: Procedure, submission: Submission) -> dict:
    allocation = session.get(Allocation, submission.id)
    return {
        "procedure": procedure,
        "submission": submission,
        "allocation": allocation,
        "position": waitlist_position(session, allocation) if allocation else None,
        "status_url": url_for("resident.status", _external=True),
        "cancel_url": url_for(
            "resident.cancel_link",
            _external=True,
            token=cancel_signer().dumps(submission.reference_number),
        ),
    }


def confirmation_email(
    session: Session, procedure: Procedure, submission: Submission
) -> tuple[str, str]:
    """Return the subject and body of the confirmation email for `submission`."""
    subject = plain_furigana(
        _(
            "Application received: %(title)s (%(reference)s)",
            title=plain_text(procedure.title),
            reference=submission.reference_number,
        )
    )
    body = render_template("email/confirmation.txt", **_context(session, procedure, submission))
    return subject, body


def event_notifier(session: Session, procedure: Procedure, now: datetime) -> Notify:
    """Return a callback that puts seat, promotion and lottery emails in the outbox."""

    def notify(submission: Submission, allocation: Allocation, kind: str) -> None:
        if not submission.email:
            return
        with use_locale(submission.locale):
            subject = plain_furigana(
                str(SUBJECTS[kind])
                % {"title": plain_text(procedure.title), "reference": submission.reference_number}
            )
            body = render_template(
                "email/allocation.txt", kind=kind, **_context(session, procedure, submission)
            )
        enqueue(
            session,
            recipient=submission.email,
            subject=subject,
            body=body,
            now=now,
            submission_id=submission.id,
        )

    return notify


def resume_email(
    procedure: Procedure, link: ResumeLink, token: str, locale: str
) -> tuple[str, str]:
    """Return the subject and body of the email that carries a resume link."""
    subject = plain_furigana(
        _("Continue your application later: %(title)s", title=plain_text(procedure.title))
    )
    body = render_template(
        "email/resume_link.txt",
        procedure=procedure,
        link=link,
        days=procedure.resume_days,
        resume_url=url_for("resume.resume", link=token, lang=locale, _external=True),
    )
    return subject, body
