"""Cancelling an event application: by reference number and email, or from the emailed link.

The routes are added to the resident blueprint in portal.resident.views.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature
from sqlalchemy import select

from portal import clock
from portal.events import seats
from portal.events.models import ACTIVE_STATES, Allocation
from portal.extensions import db
from portal.form_errors import form_errors
from portal.models import Submission
from portal.resident.emails import cancel_signer, event_notifier
from portal.resident.forms import ActionForm, StatusLookupForm
from portal.submissions.reference import normalise_reference_number
from portal.submissions.service import find_by_reference


def _cancellable(submission: Submission | None) -> Allocation | None:
    if submission is None:
        return None
    allocation = db.session.get(Allocation, submission.id)
    return allocation if allocation and allocation.state in ACTIVE_STATES else None


def cancel():
    form = StatusLookupForm()
    if form.validate_on_submit():
        reference = normalise_reference_number(form.reference_number.data)
        found = find_by_reference(db.session, reference, form.email.data)
        if _cancellable(found):
            session["cancel_reference"] = found.reference_number
            return redirect(url_for(".cancel_confirm"))
        form.reference_number.errors.append(
            _(
                "No booking that can be cancelled matches that reference number and email address. Check both and try again."
            )
        )
    errors = form_errors(form, ["reference_number", "email"])
    return render_template("resident/cancel.html", form=form, errors=errors)


def cancel_link(token: str):
    try:
        reference = cancel_signer().loads(token)
    except BadSignature:
        abort(404)
    session["cancel_reference"] = reference
    return redirect(url_for(".cancel_confirm"))


def cancel_confirm():
    reference = session.get("cancel_reference")
    submission = (
        db.session.scalar(select(Submission).where(Submission.reference_number == reference))
        if reference
        else None
    )
    allocation = _cancellable(submission)
    if allocation is None:
        return redirect(url_for(".cancel"))
    procedure = current_app.extensions["portal.procedures"].get(submission.procedure_id) or abort(
        404
    )
    form = ActionForm()
    if form.validate_on_submit():
        now = clock.now()
        with db.transaction() as tx:
            seats.cancel(
                tx, procedure, submission, now=now, notify=event_notifier(tx, procedure, now)
            )
        session.pop("cancel_reference", None)
        session["cancelled_reference"] = submission.reference_number
        return redirect(url_for(".cancel_done"))
    return render_template(
        "resident/cancel_confirm.html",
        form=form,
        procedure=procedure,
        submission=submission,
        allocation=allocation,
    )


def cancel_done():
    reference = session.get("cancelled_reference") or abort(404)
    return render_template("resident/cancel_done.html", reference=reference)
