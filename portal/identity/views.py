"""Identity routes: sign in, the provider's return, consent to use the card, extend, sign out."""

from __future__ import annotations

import logging
import secrets

from flask import (
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from portal import clock
from portal.extensions import db
from portal.identity import blueprint
from portal.identity.adapter import IdentityFailure
from portal.identity.forms import ConsentForm, ReturnForm, SignInForm
from portal.identity.journey import RETURN_KEY, SESSION_KEY, idle_limit, registry
from portal.identity.sessions import end_session, find_session, open_session, prefill_fields
from portal.procedure.model import Procedure
from portal.web import allow_form_action

log = logging.getLogger(__name__)
PENDING_KEY = "identity_pending"
LOGOUT_KEY = "identity_logout_state"


def _procedure(procedure_id: str) -> Procedure:
    procedure = current_app.extensions["portal.procedures"].get(procedure_id)
    if procedure is None or procedure.identity == "none":
        abort(404)
    return procedure


def _return_to(procedure: Procedure) -> str:
    target = session.pop(RETURN_KEY, "")
    if target.startswith(f"/procedures/{procedure.id}/") and "//" not in target:
        return target
    return url_for("resident.question", procedure_id=procedure.id, page_id=procedure.pages[0].id)


def refuse(reason: str, procedure: Procedure | None, adapter_id: str | None):
    """End any half-made sign-in and show the resident what to do; log why."""
    log.warning(
        "identity sign-in refused: reason=%s adapter=%s procedure=%s",
        reason,
        adapter_id,
        procedure.id if procedure else None,
    )
    session.pop(PENDING_KEY, None)
    token = session.pop(SESSION_KEY, None)
    if token:
        with db.transaction() as tx:
            end_session(tx, token)
    cancelled = reason == "provider_error_access_denied"
    return render_template("identity/failure.html", procedure=procedure, cancelled=cancelled), 400


@blueprint.route("/procedures/<procedure_id>/sign-in", methods=["GET", "POST"])
def sign_in(procedure_id: str):
    procedure = _procedure(procedure_id)
    adapters = registry().satisfying(procedure.identity)
    form = SignInForm()
    if request.method == "POST" and form.validate_on_submit():
        adapter = registry().get(form.adapter.data or "")
        if adapter is None or adapter not in adapters:
            abort(400)
        db.session.close()  # the provider may be this very app (the stub): hold no lock
        try:
            start = adapter.start_login()
        except IdentityFailure as failure:
            return refuse(failure.reason, procedure, adapter.id)
        session[PENDING_KEY] = {**start.pending, "adapter": adapter.id, "procedure": procedure.id}
        return redirect(start.url)
    response = make_response(
        render_template(
            "identity/sign_in.html",
            procedure=procedure,
            adapters=adapters,
            form=form,
            expired=request.args.get("expired") == "1",
        )
    )
    # Chrome applies form-action to where a form's redirect leads: allow the providers.
    return allow_form_action(response, sorted({o for a in adapters for o in a.form_origins()}))


@blueprint.get("/identity/callback")
def callback():
    pending = session.pop(PENDING_KEY, None)
    if pending is None:
        # A bare link (from any site: SameSite=Lax sends the cookie) must not end a sign-in.
        log.warning("identity callback ignored: reason=no_sign_in_in_progress")
        return render_template("identity/no_sign_in.html"), 400
    procedure = current_app.extensions["portal.procedures"].get(pending.get("procedure", ""))
    if procedure is None:
        return refuse("no_sign_in_in_progress", procedure, None)
    adapter = registry().get(pending["adapter"])
    if adapter is None:
        return refuse("unknown_adapter", procedure, pending["adapter"])
    # No transaction is open here: the provider may be this very app (the stub).
    db.session.close()
    try:
        result = adapter.handle_return(request.args.to_dict(), pending)
    except IdentityFailure as failure:
        return refuse(failure.reason, procedure, adapter.id)
    with db.transaction() as tx:
        end_session(tx, session.get(SESSION_KEY))
        identity = open_session(tx, result, clock.now())
    session[SESSION_KEY] = identity.token
    log.info("identity sign-in: adapter=%s procedure=%s", adapter.id, procedure.id)
    if prefill_fields(procedure):
        return redirect(url_for(".consent", procedure_id=procedure.id))
    return redirect(_return_to(procedure))


@blueprint.route("/procedures/<procedure_id>/sign-in/details", methods=["GET", "POST"])
def consent(procedure_id: str):
    procedure = _procedure(procedure_id)
    with db.transaction() as tx:
        identity, _expired = find_session(tx, session.get(SESSION_KEY), clock.now(), idle_limit())
        if identity is None:
            return redirect(url_for(".sign_in", procedure_id=procedure.id))
        form = ConsentForm()
        if form.validate_on_submit():
            identity.prefill_consent = {
                **identity.prefill_consent,
                procedure.id: form.use.data == "yes",
            }
            identity.last_seen_at = clock.now()
            return redirect(_return_to(procedure))
        claims = dict(identity.claims)
    errors = [("use", str(form.use.errors[0]))] if form.use.errors else []
    return render_template(
        "identity/consent.html",
        procedure=procedure,
        form=form,
        claims=claims,
        errors=errors,
    )


def _local(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("resident.catalog")


@blueprint.post("/identity/extend")
def extend():
    form = ReturnForm()
    if not form.validate_on_submit():
        abort(400)
    with db.transaction() as tx:
        identity, _expired = find_session(tx, session.get(SESSION_KEY), clock.now(), idle_limit())
        if identity is not None:
            identity.last_seen_at = clock.now()
    return redirect(_local(form.next.data))


@blueprint.post("/identity/sign-out")
def sign_out():
    if not ReturnForm().validate_on_submit():
        abort(400)
    procedures = current_app.extensions["portal.procedures"]
    with db.transaction() as tx:
        identity = end_session(tx, session.pop(SESSION_KEY, None))
    session.pop(PENDING_KEY, None)
    # The answers of strict-identity procedures belong to whoever signed in: forget them here.
    session["drafts"] = {
        pid: token
        for pid, token in session.get("drafts", {}).items()
        if (procedures.get(pid) is None or procedures.get(pid).identity == "none")
    }
    adapter = registry().get(identity.adapter) if identity else None
    if adapter is not None:
        state = secrets.token_urlsafe(16)
        url = adapter.logout_url(
            id_token=identity.id_token,
            state=state,
            post_logout_redirect_uri=current_app.config["BASE_URL"].rstrip("/")
            + url_for(".signed_out"),
        )
        if url:
            session[LOGOUT_KEY] = state
            return redirect(url)
    return redirect(url_for(".signed_out"))


@blueprint.get("/identity/signed-out")
def signed_out():
    session.pop(LOGOUT_KEY, None)
    return render_template("identity/signed_out.html")
