"""Signing routes: the sign page before submitting, and the provider's return with a signature."""

from __future__ import annotations

import logging

from flask import (
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm

from portal import clock
from portal.drafts import find_draft
from portal.extensions import db
from portal.identity import blueprint
from portal.identity.journey import guard
from portal.identity.models import DraftSignature
from portal.identity.signature_client import SigningClient, SigningFailure
from portal.identity.signatures import (
    answers_digest,
    bound_to_signer,
    current_signature,
    keep_draft_signature,
)
from portal.procedure.flow import Flow
from portal.procedure.model import Procedure
from portal.web import allow_form_action

log = logging.getLogger(__name__)
PENDING_KEY = "signature_pending"


class StartSigningForm(FlaskForm):
    """A button that sends the resident to sign with their card."""


def _procedure(procedure_id: str) -> Procedure:
    procedure = current_app.extensions["portal.procedures"].get(procedure_id)
    if procedure is None or procedure.signature != "required":
        abort(404)
    return procedure


def _draft(procedure: Procedure):
    return find_draft(db.session, session.get("drafts", {}).get(procedure.id), procedure)


def _ready(procedure: Procedure, draft):
    """Return a redirect when the draft cannot be signed yet; else None."""
    if draft is None:
        return redirect(url_for("resident.start", procedure_id=procedure.id))
    if draft.submission_id:
        return redirect(url_for("resident.complete", procedure_id=procedure.id))
    gate = guard(procedure, draft)
    if gate is not None:
        return gate
    unfinished = Flow(procedure, draft.answers).first_unfinished_page(set(draft.completed_pages))
    if unfinished is not None:
        return redirect(
            url_for("resident.question", procedure_id=procedure.id, page_id=unfinished.id)
        )
    return None


#: reasons that mean the time to sign ran out (at the portal or at the provider)
EXPIRED = frozenset(
    {"login_expired", "sign_transaction_expired", "provider_error_sign_transaction_expired"}
)


def _signing() -> SigningClient | None:
    return current_app.extensions.get("portal.signing")


def refuse_signature(reason: str, procedure: Procedure | None):
    """Forget the signing in progress, log why, and tell the resident what to do."""
    log.warning(
        "signature refused: reason=%s procedure=%s", reason, procedure.id if procedure else None
    )
    session.pop(PENDING_KEY, None)
    return render_template(
        "identity/signature_failure.html",
        procedure=procedure,
        cancelled=reason == "provider_error_access_denied",
        expired=reason in EXPIRED,
    ), 400


@blueprint.route("/procedures/<procedure_id>/sign", methods=["GET", "POST"])
def sign(procedure_id: str):
    procedure = _procedure(procedure_id)
    draft = _draft(procedure)
    not_ready = _ready(procedure, draft)
    if not_ready is not None:
        return not_ready
    answers = Flow(procedure, draft.answers).effective_answers()
    signed = current_signature(db.session, procedure, draft.token, answers)
    # Signed before, but the answers changed since: the old signature no longer covers them.
    stale = signed is None and db.session.get(DraftSignature, draft.token) is not None
    form = StartSigningForm()
    if request.method == "POST" and form.validate_on_submit():
        return _start_signing(procedure, answers)
    response = make_response(
        render_template(
            "identity/sign.html", procedure=procedure, form=form, signed=signed, stale=stale
        )
    )
    # Chrome applies form-action to where a form's redirect leads: allow the signing service.
    signing = _signing()
    return allow_form_action(response, signing.form_origins() if signing else [])


def _start_signing(procedure: Procedure, answers: dict):
    """Open a sign transaction over the answers and send the resident to authorize it."""
    signing = _signing()
    if signing is None:
        return refuse_signature("signing_not_configured", procedure)
    digest = answers_digest(procedure, answers)
    db.session.close()  # the provider may be this very app (the stub): hold no lock
    try:
        url, pending = signing.start(digest)
    except SigningFailure as failure:
        return refuse_signature(failure.reason, procedure)
    session[PENDING_KEY] = {**pending, "digest": digest, "procedure": procedure.id}
    return redirect(url)


@blueprint.get("/identity/signature-callback")
def signature_callback():
    pending = session.pop(PENDING_KEY, None) or {}
    procedure = current_app.extensions["portal.procedures"].get(pending.get("procedure", ""))
    if not pending or procedure is None or procedure.signature != "required":
        return refuse_signature("no_signing_in_progress", None)
    signing = _signing()
    if signing is None:
        return refuse_signature("signing_not_configured", procedure)
    now = clock.now()
    db.session.close()  # the provider may be this very app (the stub): hold no lock
    revocation = current_app.extensions["portal.revocation"]
    try:
        verification, signer = signing.collect(request.args.to_dict(), pending, revocation, now)
    except SigningFailure as failure:
        return refuse_signature(failure.reason, procedure)
    draft = _draft(procedure)
    not_ready = _ready(procedure, draft)
    if not_ready is not None:
        return not_ready
    verification = bound_to_signer(verification, g.identity.subject_hash, signer)
    with db.transaction() as tx:
        keep_draft_signature(tx, draft.token, verification, now)
    log.info(
        "signature kept: procedure=%s valid=%s reason=%s",
        procedure.id,
        verification.valid,
        verification.reason,
    )
    return redirect(url_for(".sign", procedure_id=procedure.id))
