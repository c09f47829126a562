"""Resident routes: thin; the rules live in portal.procedure and portal.submissions."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from portal import clock
from portal.drafts import start_draft
from portal.events import seats
from portal.events.models import Allocation
from portal.events.status import event_statuses
from portal.extensions import db
from portal.form_errors import form_errors
from portal.i18n import current_locale
from portal.identity import journey as identity
from portal.indicators import journey_counts
from portal.models import Submission
from portal.procedure.answers import answer_rows
from portal.procedure.fields import kind_of
from portal.procedure.flow import Flow
from portal.procedure.model import Procedure
from portal.resident import answer_copy, cancellation
from portal.resident.catalog import catalog_page
from portal.resident.forms import ActionForm, StatusLookupForm, answers_from, page_form
from portal.resident.journey import (
    Journey,
    current_draft,
    journey_view,
    procedure_or_404,
    remember_draft,
)
from portal.submissions.reference import normalise_reference_number
from portal.submissions.service import find_by_reference
from portal.submissions.status import STATUS_LABELS

blueprint = Blueprint("resident", __name__)
blueprint.add_url_rule("/cancel", view_func=cancellation.cancel, methods=["GET", "POST"])
blueprint.add_url_rule("/cancel/link/<token>", view_func=cancellation.cancel_link)
blueprint.add_url_rule(
    "/cancel/confirm", view_func=cancellation.cancel_confirm, methods=["GET", "POST"]
)
blueprint.add_url_rule("/cancel/done", view_func=cancellation.cancel_done)


@blueprint.get("/")
def catalog():
    query = request.args.get("q", "").strip()
    procedures = current_app.extensions["portal.procedures"].all()
    args = request.args
    found = catalog_page(
        procedures, query, current_locale(), args.get("category", ""), args.get("page", 1, int)
    )
    return render_template(
        "resident/catalog.html",
        catalog=found,
        groups=found.groups,
        query=query,
        now=clock.now(),
        found_count=found.found_count,
        statuses=event_statuses(db.session, found.shown, clock.now()),
    )


@blueprint.get("/procedures/<procedure_id>")
def start(procedure_id: str):
    procedure = procedure_or_404(procedure_id)
    status = event_statuses(db.session, [procedure], clock.now()).get(procedure.id)
    return render_template(
        "resident/start.html",
        procedure=procedure,
        form=ActionForm(),
        window_state=procedure.window.state(clock.now()),
        status=status,
    )


@blueprint.post("/procedures/<procedure_id>/start")
def begin(procedure_id: str):
    procedure = procedure_or_404(procedure_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with db.transaction() as tx:
        draft = start_draft(tx, procedure, clock.now())
        journey_counts.draft_started(tx, procedure, draft)
    remember_draft(procedure, draft.token)
    return redirect(url_for(".question", procedure_id=procedure.id, page_id=procedure.pages[0].id))


@blueprint.route("/procedures/<procedure_id>/<page_id>", methods=["GET", "POST"])
@journey_view
def question(journey: Journey, page_id: str):
    page = journey.procedure.page(page_id) or abort(404)
    if not journey.flow.applies(page):
        return redirect(journey.url("check"))
    fields = journey.typed_fields(page)
    form = page_form(page, fields, current_locale(), journey.draft.answers)
    returning = request.args.get("change") == "1"
    window_state = journey.procedure.window.state(clock.now())
    if request.method == "POST":
        verb, _sep, field_id = request.form.get("action", "continue").partition(":")
        if field_id:
            return _act(journey, page, form, fields, verb, field_id, returning)
        if form.validate() and window_state == "open":
            with db.transaction():
                journey.record(page, answers_from(form, fields))
            return redirect(journey.after(page, returning))
    return _question_page(journey, page, form, fields, returning, window_state)


def _question_page(journey: Journey, page, form, fields, returning: bool, window_state: str):
    """Render a question page: its questions, errors, card answers and where back leads."""
    step, steps = journey.flow.position(page)
    journey_counts.question_page_shown(journey, page, form)
    return render_template(
        "resident/question.html",
        procedure=journey.procedure,
        page=page,
        fields=fields,
        form=form,
        step=step,
        steps=steps,
        back=journey.back(page, returning),
        window_state=window_state,
        returning=returning,
        errors=form_errors(form, [f.id for f in fields]),
        prefilled=identity.prefilled_rows(
            journey.flow.visible_fields(page), journey.card, current_locale()
        ),
    )


def _act(journey: Journey, page, form, fields, verb: str, field_id: str, returning: bool):
    """Press a question's own button (住所を検索): keep what is valid, store what it found."""
    pressed = next((f for f in fields if f.id == field_id), None)
    kind = kind_of(pressed) if pressed else None
    if kind is None or kind.action != verb or not kind.offers_action(pressed):
        abort(400)
    form.validate()
    valid = [f for f in fields if not form[f.id].errors]
    answers = answers_from(form, valid)
    result = kind.act(pressed, answers.get(pressed.id) if pressed in valid else None)
    with db.transaction():
        journey.store({**answers, **result.answers})
    flash(result.message, result.category)
    target = journey.url("question", page_id=page.id, change="1" if returning else None)
    return redirect(f"{target}#{result.focus}")


@blueprint.route("/procedures/<procedure_id>/check", methods=["GET", "POST"])
@journey_view
def check(journey: Journey):
    flow = journey.flow
    unfinished = flow.first_unfinished_page(set(journey.draft.completed_pages))
    if unfinished is not None:
        return redirect(journey.url("question", page_id=unfinished.id))
    form = ActionForm()
    window_state = journey.procedure.window.state(clock.now())
    problem = None
    if request.method == "POST" and form.validate_on_submit() and window_state == "open":
        outcome = journey.submit(
            accept_waitlist=request.form.get("accept_waitlist") == "1",
            copy=answer_copy.choice_from(request.form),
        )
        if outcome.next_url:
            return redirect(outcome.next_url)
        problem = outcome.problem
    journey_counts.check_page_shown(journey)
    return render_template(
        "resident/check.html",
        procedure=journey.procedure,
        flow=flow,
        form=form,
        summary=answer_rows(journey.procedure, flow.effective_answers(), current_locale(), flow),
        from_card=set(journey.card),
        window_state=window_state,
        offer=_offer(journey.procedure, flow),
        problem=problem,
    )


def _offer(procedure: Procedure, flow: Flow) -> dict | None:
    """Return what an event can offer this application now (None for other procedures)."""
    if procedure.capacity is None:
        return None
    if procedure.capacity.allocation == "lottery":
        return {"kind": "lottery"}
    available = seats.availability(db.session, procedure)
    kind = available.offer(seats.party_size(procedure, flow.effective_answers()))
    return {"kind": kind, "position": available.waitlisted + 1, "seats_left": available.seats_left}


@blueprint.get("/procedures/<procedure_id>/complete")
def complete(procedure_id: str):
    procedure = procedure_or_404(procedure_id)
    draft = current_draft(procedure)
    submission = (
        db.session.get(Submission, draft.submission_id) if draft and draft.submission_id else None
    )
    if submission is None:
        return redirect(url_for(".start", procedure_id=procedure.id))
    return render_template(
        "resident/complete.html", procedure=procedure, submission=submission, **_seat(submission)
    )


def _seat(submission: Submission) -> dict:
    """Return the application's seat allocation (events only) and its waiting-list place."""
    allocation = db.session.get(Allocation, submission.id)
    position = seats.waitlist_position(db.session, allocation) if allocation else None
    return {"allocation": allocation, "position": position}


@blueprint.route("/status", methods=["GET", "POST"])
def status():
    form = StatusLookupForm()
    if form.validate_on_submit():
        reference = normalise_reference_number(form.reference_number.data)
        found = find_by_reference(db.session, reference, form.email.data)
        if found is not None:
            session["status_reference"] = found.reference_number
            return redirect(url_for(".status_result"))
        form.reference_number.errors.append(
            _(
                "No application matches that reference number and email address. Check both and try again."
            )
        )
    errors = form_errors(form, ["reference_number", "email"])
    return render_template("resident/status.html", form=form, errors=errors)


@blueprint.get("/status/result")
def status_result():
    reference = session.get("status_reference")
    submission = None
    if reference:
        submission = db.session.scalar(
            select(Submission).where(Submission.reference_number == reference)
        )
    if submission is None:
        return redirect(url_for(".status"))
    procedure = current_app.extensions["portal.procedures"].get(submission.procedure_id)
    return render_template(
        "resident/status_result.html",
        submission=submission,
        procedure=procedure,
        status_label=STATUS_LABELS.get(submission.status, submission.status),
        **_seat(submission),
    )
