"""Emails to residents, rendered in the language they used."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from portal.i18n import plain_text
from portal.models import Submission
from portal.procedure.model import Procedure


def confirmation_email(procedure: Procedure, submission: Submission) -> tuple[str, str]:
    """Return the subject and body of the confirmation email for `submission`."""
    subject = _("Application received: %(title)s (%(reference)s)",
                title=plain_text(procedure.title), reference=submission.reference_number)
    body = render_template(
        "email/confirmation.txt", procedure=procedure, submission=submission,
        status_url=url_for("resident.status", _external=True),
    )
    return subject, body
