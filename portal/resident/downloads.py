"""The application as a PDF for the resident: from the completion page and the status lookup.

Routes of their own blueprint; the PDF is made by portal.application_pdf.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, session
from sqlalchemy import select

from portal.application_pdf import application_pdf, pdf_response
from portal.extensions import db
from portal.i18n import current_locale
from portal.identity.signatures import signature_summary
from portal.models import Submission
from portal.resident.journey import current_draft, procedure_or_404

blueprint = Blueprint("downloads", __name__)


def _download(submission: Submission | None):
    if submission is None:
        abort(404)
    procedure = current_app.extensions["portal.procedures"].get(submission.procedure_id)
    signature = signature_summary(db.session, submission.id)
    pdf = application_pdf(procedure, submission, current_locale(), signature)
    return pdf_response(pdf, submission)


@blueprint.get("/procedures/<procedure_id>/complete/application.pdf")
def completed_application(procedure_id: str):
    draft = current_draft(procedure_or_404(procedure_id))
    found = (
        db.session.get(Submission, draft.submission_id) if draft and draft.submission_id else None
    )
    return _download(found)


@blueprint.get("/status/result/application.pdf")
def looked_up_application():
    reference = session.get("status_reference")
    found = (
        db.session.scalar(select(Submission).where(Submission.reference_number == reference))
        if reference
        else None
    )
    return _download(found)
