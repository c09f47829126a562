"""The status change email, in the language the applicant used."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from portal.i18n import plain_text, use_locale
from portal.models import Submission
from portal.staff.models import StatusChange
from portal.submissions.status import STATUS_LABELS


def status_changed_email(submission: Submission, change: StatusChange) -> tuple[str, str]:
    """Return the subject and body telling the applicant their new status."""
    procedure = current_app.extensions["portal.procedures"].get(submission.procedure_id)
    with use_locale(submission.locale):
        status = str(STATUS_LABELS.get(change.to_status, change.to_status))
        title = plain_text(procedure.title) if procedure else submission.procedure_id
        subject = _(
            "Your application %(reference)s: %(status)s",
            reference=submission.reference_number,
            status=status,
        )
        body = render_template(
            "email/status_changed.txt",
            submission=submission,
            change=change,
            status=status,
            title=title,
            procedure=procedure,
            status_url=url_for("resident.status", _external=True),
        )
    return subject, body
