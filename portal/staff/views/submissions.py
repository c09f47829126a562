"""A procedure's submissions: the list, one submission, its status, and exports."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal import clock
from portal.application_pdf import application_pdf, applications_html, pdf_response, to_pdf
from portal.events import seats
from portal.events.models import Allocation
from portal.extensions import db
from portal.form_errors import form_errors
from portal.i18n import current_locale
from portal.identity.models import SubmissionIdentity
from portal.identity.signatures import signature_summary
from portal.models import Submission
from portal.procedure.answers import answer_rows
from portal.staff import guard
from portal.staff.audit import record
from portal.staff.emails import status_changed_email
from portal.staff.export import to_csv, to_json
from portal.staff.forms import ActionForm, FilterForm, StatusForm
from portal.staff.queries import SubmissionFilter, find_all, find_page
from portal.staff.views._common import procedure_or_404, procedure_or_none
from portal.staff.views.blueprint import blueprint
from portal.staff.workflow import (
    StatusRequest,
    TransitionError,
    change_status,
    history,
    next_statuses,
)

FILTER_FIELDS = ["status", "submitted_from", "submitted_to", "q"]


def _stale_message() -> str:
    return _("Someone else changed the status meanwhile. Check the history and try again.")


def _filter(form: FilterForm) -> SubmissionFilter:
    if not form.validate():
        return SubmissionFilter()
    return SubmissionFilter(
        status=form.status.data or None,
        submitted_from=form.submitted_from.data,
        submitted_to=form.submitted_to.data,
        text=form.q.data or None,
    )


def _filter_form(source: MultiDict) -> FilterForm:
    # The date inputs post from/to, so the query string reads like the filter it is.
    names = {"status": "status", "q": "q", "submitted_from": "from", "submitted_to": "to"}
    given = {name: source.get(param, "").strip() for name, param in names.items()}
    return FilterForm(formdata=MultiDict({k: v for k, v in given.items() if v}))


@blueprint.get("/procedures/<procedure_id>/submissions")
def submissions(procedure_id: str):
    guard.require("view", procedure_id)
    procedure = procedure_or_404(procedure_id)
    form = _filter_form(request.args)
    where = _filter(form)
    page = find_page(db.session, procedure_id, where, request.args.get("page", 1, type=int))
    errors = form_errors(form, FILTER_FIELDS)
    return render_template(
        "staff/submissions.html",
        procedure=procedure,
        form=form,
        where=where,
        result=page,
        errors=errors,
        export_form=ActionForm(),
        may_export=guard.permissions().may("export", procedure_id),
    )


def _submission_or_404(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    # Out of the member's procedures, a submission does not exist as far as they can tell.
    if submission is None or not guard.permissions().may("view", submission.procedure_id):
        abort(404)
    return submission


def _audit(action: str, **about) -> None:
    """Record what the signed-in member did, in a transaction of its own."""
    with db.transaction() as tx:
        record(
            tx,
            action=action,
            now=clock.now(),
            actor=guard.current_member(),
            origin=guard.origin(),
            **about,
        )


@blueprint.get("/submissions/<id:submission_id>")
def submission(submission_id: int):
    found = _submission_or_404(submission_id)
    _audit("view_submission", submission=found)
    return _render_submission(found, _status_form(found))


@blueprint.get("/submissions/<id:submission_id>/application.pdf")
def submission_pdf(submission_id: int):
    found = _submission_or_404(submission_id)
    locale = found.locale if request.args.get("in") == "resident" else current_locale()
    _audit("export", submission=found, detail={"format": "pdf", "locale": locale})
    procedure = procedure_or_none(found.procedure_id)
    signature = signature_summary(db.session, found.id)
    return pdf_response(application_pdf(procedure, found, locale, signature), found)


def _applications_pdf(procedure, rows: list[Submission]) -> bytes:
    """Return every submission of `rows` in one PDF, each from a new page, in staff's language."""
    signed = [(s, signature_summary(db.session, s.id)) for s in rows]
    return to_pdf(applications_html(procedure, signed, current_locale()))


def _status_form(found: Submission, formdata=None) -> StatusForm:
    form = StatusForm(next_statuses(found.status), formdata=formdata)
    if formdata is None:
        form.expected_status.data = found.status
    return form


def _render_submission(found: Submission, form: StatusForm, errors=None, status_code=200):
    procedure = procedure_or_none(found.procedure_id)
    errors = errors or []
    may_change = guard.permissions().may("change_status", found.procedure_id)
    return render_template(
        "staff/submission.html",
        submission=found,
        procedure=procedure,
        rows=answer_rows(procedure, found.answers, current_locale()),
        history=history(db.session, found),
        form=form,
        may_change=may_change,
        errors=errors,
        **_seat_and_identity(found),
    ), status_code


def _seat_and_identity(found: Submission) -> dict:
    """Return the event seat and the verified identity recorded with a submission, if any."""
    allocation = db.session.get(Allocation, found.id)
    return {
        "allocation": allocation,
        "waitlist_position": seats.waitlist_position(db.session, allocation)
        if allocation
        else None,
        "identity_record": db.session.get(SubmissionIdentity, found.id),
    }


@blueprint.post("/submissions/<id:submission_id>/status")
def submission_status(submission_id: int):
    found = _submission_or_404(submission_id)
    guard.require("change_status", found.procedure_id)
    form = _status_form(found, request.form)
    expected = form.expected_status.data or found.status
    if expected != found.status:
        form.expected_status.errors = [_stale_message()]
    elif form.validate_on_submit():
        try:
            with db.transaction() as tx:
                change_status(
                    tx,
                    found,
                    StatusRequest(
                        expected,
                        form.to_status.data,
                        form.note.data,
                        form.message_to_applicant.data,
                    ),
                    actor=guard.current_member(),
                    now=clock.now(),
                    origin=guard.origin(),
                    compose=status_changed_email,
                )
        except TransitionError as error:
            db.session.refresh(found)
            form.to_status.errors = [
                _stale_message()
                if error.reason == "stale"
                else _("That status cannot follow the current one. Choose another.")
            ]
        else:
            flash(_("Status changed. The applicant will be sent an email."), "found")
            return redirect(url_for(".submission", submission_id=found.id))
    errors = form_errors(form, ["expected_status", "to_status", "note", "message_to_applicant"])
    errors = [
        ("to_status" if anchor == "expected_status" else anchor, message)
        for anchor, message in errors
    ]
    return _render_submission(found, form, errors, 400 if errors else 200)


@blueprint.post("/procedures/<procedure_id>/export.<any(csv, json, pdf):format_>")
def export(procedure_id: str, format_: str):
    guard.require("export", procedure_id)
    procedure = procedure_or_404(procedure_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    where = _filter(_filter_form(request.form))
    rows = find_all(db.session, procedure_id, where)
    detail = {
        "format": format_,
        "filter": where.as_dict(),
        "count": len(rows),
        "reference_numbers": [s.reference_number for s in rows],
    }
    _audit("export", procedure_id=procedure_id, detail=detail)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    booked = seats.bookings(db.session, procedure_id) if procedure.capacity else None
    if format_ == "pdf":
        body, mimetype = _applications_pdf(procedure, rows), "application/pdf"
    elif format_ == "csv":
        body, mimetype = to_csv(procedure, rows, booked), "text/csv"
    else:
        body, mimetype = to_json(procedure, rows, booked), "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{procedure_id}-{stamp}.{format_}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
