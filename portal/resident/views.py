"""Resident routes: thin; the rules live in portal.procedure and portal.submissions."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import clock
from portal.drafts import find_draft, record_page, set_answer, start_draft
from portal.events import seats
from portal.events.models import Allocation
from portal.events.status import event_statuses
from portal.extensions import db
from portal.i18n import current_locale
from portal.identity import journey as identity
from portal.models import Submission
from portal.procedure.fields import kind_of
from portal.procedure.fields.postal_code import find_address
from portal.procedure.flow import Flow
from portal.procedure.model import Procedure
from portal.resident import blueprint
from portal.resident.catalog import catalog_groups
from portal.resident.emails import confirmation_email
from portal.resident.forms import (
    ActionForm,
    StatusLookupForm,
    answers_from,
    error_list,
    page_form,
)
from portal.submissions.reference import normalise_reference_number
from portal.submissions.service import (
    Unfinished,
    WindowClosed,
    existing_submission,
    find_by_reference,
    submit,
)
from portal.submissions.status import STATUS_LABELS


def _procedure(procedure_id: str) -> Procedure:
    procedure = current_app.extensions["portal.procedures"].get(procedure_id)
    if procedure is None:
        abort(404)
    return procedure


def _draft(procedure: Procedure):
    return find_draft(db.session, session.get("drafts", {}).get(procedure.id), procedure)


def _remember_draft(procedure: Procedure, token: str) -> None:
    session.permanent = True
    session["drafts"] = {**session.get("drafts", {}), procedure.id: token}


@blueprint.get("/")
def catalog():
    query = request.args.get("q", "").strip()
    procedures = current_app.extensions["portal.procedures"].all()
    groups = catalog_groups(procedures, query, current_locale())
    return render_template(
        "resident/catalog.html",
        groups=groups,
        query=query,
        now=clock.now(),
        found_count=sum(len(group.procedures) for group in groups),
        statuses=event_statuses(db.session, procedures, clock.now()),
    )


@blueprint.get("/procedures/<procedure_id>")
def start(procedure_id: str):
    procedure = _procedure(procedure_id)
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
    procedure = _procedure(procedure_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with db.transaction() as tx:
        draft = start_draft(tx, procedure, clock.now())
    _remember_draft(procedure, draft.token)
    return redirect(url_for(".question", procedure_id=procedure.id, page_id=procedure.pages[0].id))


@blueprint.route("/procedures/<procedure_id>/<page_id>", methods=["GET", "POST"])
def question(procedure_id: str, page_id: str):
    procedure = _procedure(procedure_id)
    page = procedure.page(page_id) or abort(404)
    draft = _draft(procedure)
    if draft is None:
        return redirect(url_for(".start", procedure_id=procedure.id))
    if draft.submission_id:
        return redirect(url_for(".complete", procedure_id=procedure.id))
    gate = identity.guard(procedure, draft)
    if gate is not None:
        return gate
    flow = Flow(procedure, draft.answers)
    if not flow.applies(page):
        return redirect(url_for(".check", procedure_id=procedure.id))
    fields = flow.visible_fields(page)
    locale = current_locale()
    card = identity.card_answers(procedure)
    prefilled = identity.prefilled_rows(fields, card, locale)
    fields = [f for f in fields if f.id not in card]
    form = page_form(fields, locale, draft.answers)
    returning = request.args.get("change") == "1"
    window_state = procedure.window.state(clock.now())
    if request.method == "POST":
        action = request.form.get("action", "continue")
        if action.startswith("find-address:"):
            return _find_address(procedure, page, draft, form, fields, action.partition(":")[2])
        if window_state == "open" and form.validate():
            with db.transaction():
                hidden = {f.id: None for f in page.fields if f not in fields and f.id not in card}
                record_page(draft, page.id, {**hidden, **answers_from(form, fields)}, clock.now())
            return redirect(_after(procedure, draft, page, returning))
        if window_state != "open":
            form.validate()
    errors = error_list(form, [f.id for f in fields])
    step, steps = flow.position(page)
    previous = flow.previous_page(page)
    back = (
        url_for(".check", procedure_id=procedure.id)
        if returning
        else url_for(".question", procedure_id=procedure.id, page_id=previous.id)
        if previous
        else url_for(".start", procedure_id=procedure.id)
    )
    return render_template(
        "resident/question.html",
        procedure=procedure,
        page=page,
        fields=fields,
        form=form,
        step=step,
        steps=steps,
        back=back,
        window_state=window_state,
        returning=returning,
        errors=errors,
        has_errors=bool(errors),
        prefilled=prefilled,
    )


def _after(procedure: Procedure, draft, page, returning: bool) -> str:
    if returning:
        return url_for(".check", procedure_id=procedure.id)
    following = Flow(procedure, draft.answers).next_page(page)
    if following is None:
        return url_for(".check", procedure_id=procedure.id)
    return url_for(".question", procedure_id=procedure.id, page_id=following.id)


def _find_address(procedure, page, draft, form, fields, field_id: str):
    postal = next((f for f in fields if f.id == field_id and f.type == "postal_code"), None)
    if postal is None or postal.address_field is None:
        abort(400)
    form.validate()
    valid = [f for f in fields if not form[f.id].errors]
    typed = form[postal.id].data
    address = find_address(typed) if postal in valid and typed else None
    with db.transaction():
        for field_id_, value in answers_from(form, valid).items():
            set_answer(draft, field_id_, value, clock.now())
        if address:
            set_answer(draft, postal.address_field, address, clock.now())
    if address:
        flash(
            _(
                "Address found: %(address)s. Add the rest of the address, such as the house number and the building name.",
                address=address,
            ),
            "found",
        )
    else:
        flash(
            _(
                "No address was found for that postal code. Check it, or enter the address yourself."
            ),
            "not-found",
        )
    target = url_for(
        ".question",
        procedure_id=procedure.id,
        page_id=page.id,
        change="1" if request.args.get("change") == "1" else None,
    )
    return redirect(f"{target}#{postal.address_field}")


@blueprint.route("/procedures/<procedure_id>/check", methods=["GET", "POST"])
def check(procedure_id: str):
    procedure = _procedure(procedure_id)
    draft = _draft(procedure)
    if draft is None:
        return redirect(url_for(".start", procedure_id=procedure.id))
    if draft.submission_id:
        return redirect(url_for(".complete", procedure_id=procedure.id))
    gate = identity.guard(procedure, draft)
    if gate is not None:
        return gate
    flow = Flow(procedure, draft.answers)
    unfinished = flow.first_unfinished_page(set(draft.completed_pages))
    if unfinished is not None:
        return redirect(url_for(".question", procedure_id=procedure.id, page_id=unfinished.id))
    form = ActionForm()
    window_state = procedure.window.state(clock.now())
    problem = None
    if request.method == "POST" and form.validate_on_submit() and window_state == "open":
        outcome = _submit(
            procedure, draft, accept_waitlist=request.form.get("accept_waitlist") == "1"
        )
        if not isinstance(outcome, str):
            return outcome
        problem = outcome
    return render_template(
        "resident/check.html",
        procedure=procedure,
        flow=flow,
        form=form,
        summary=_summary(procedure, flow),
        window_state=window_state,
        offer=_offer(procedure, flow),
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
    return {"kind": kind, "position": available.waitlisted + 1}


def _summary(procedure: Procedure, flow: Flow) -> list[dict]:
    answers = flow.effective_answers()
    locale = current_locale()
    rows = []
    for page in flow.pages():
        for field in flow.visible_fields(page):
            value = answers.get(field.id)
            shown = kind_of(field).display(field, value, locale) if value is not None else None
            rows.append({"page": page, "field": field, "value": shown})
    return rows


def _submit(procedure: Procedure, draft, *, accept_waitlist: bool):
    """Submit; return a redirect, or the kind of problem to show on the check page."""
    try:
        with db.transaction() as tx:
            submit(
                tx,
                procedure,
                draft,
                locale=current_locale(),
                now=clock.now(),
                compose=lambda s: confirmation_email(tx, procedure, s),
                accept_waitlist=accept_waitlist,
                record=identity.submission_recorder(procedure),
            )
    except IntegrityError:
        # Another request submitted this draft at the same moment: that one stands.
        if existing_submission(db.session, draft) is None:
            raise
    except WindowClosed:
        return "closed"
    except identity.IdentityRequired:
        return redirect(url_for("identity.sign_in", procedure_id=procedure.id))
    except identity.SignatureRequired:
        return redirect(url_for("identity.sign", procedure_id=procedure.id))
    except seats.WaitlistOffered:
        return "seats_gone"
    except seats.Full:
        return "full"
    except seats.AlreadyApplied:
        return "already_applied"
    except Unfinished as unfinished:
        return redirect(url_for(".question", procedure_id=procedure.id, page_id=unfinished.page_id))
    return redirect(url_for(".complete", procedure_id=procedure.id))


@blueprint.get("/procedures/<procedure_id>/complete")
def complete(procedure_id: str):
    procedure = _procedure(procedure_id)
    draft = _draft(procedure)
    submission = (
        db.session.get(Submission, draft.submission_id) if draft and draft.submission_id else None
    )
    if submission is None:
        return redirect(url_for(".start", procedure_id=procedure.id))
    allocation = db.session.get(Allocation, submission.id)
    return render_template(
        "resident/complete.html",
        procedure=procedure,
        submission=submission,
        allocation=allocation,
        position=seats.waitlist_position(db.session, allocation) if allocation else None,
    )


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
    errors = error_list(form, ["reference_number", "email"])
    return render_template(
        "resident/status.html", form=form, errors=errors, has_errors=bool(errors)
    )


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
    )
