"""Stub provider routes: discovery, JWKS, the card page, token, userinfo, logout."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import current_app, jsonify, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from portal import clock
from portal.extensions import db
from portal.identity.stub_idp import blueprint
from portal.identity.stub_idp.client_auth import ClientAuthError, authenticate_client
from portal.identity.stub_idp.config import StubConfig, stub_config
from portal.identity.stub_idp.forms import CardForm
from portal.identity.stub_idp.personas import load_personas
from portal.identity.stub_idp.provider import (
    AuthorizationRequest,
    BadRequest,
    TokenError,
    check_request,
    discovery,
    issue_code,
    read_card,
    redeem_code,
)
from portal.identity.stub_idp.provider import (
    userinfo as userinfo_claims,
)

log = logging.getLogger(__name__)


def stub() -> StubConfig:
    """Return the stub's settings for this request."""
    return stub_config(current_app.config)


def external(endpoint: str) -> str:
    """Return the absolute URL of a stub endpoint, under the configured issuer."""
    return stub().issuer + url_for(endpoint).removeprefix(blueprint.url_prefix)


def back_to_client(request_: AuthorizationRequest, **params: str):
    """Redirect to the client's registered redirect URI with `params` and the state."""
    query = urlencode({**params, "state": request_.state, "iss": stub().issuer})
    separator = "&" if "?" in request_.redirect_uri else "?"
    return redirect(f"{request_.redirect_uri}{separator}{query}")


@blueprint.get("/.well-known/openid-configuration")
def openid_configuration():
    endpoints = {
        "authorization_endpoint": external(".authorize"),
        "token_endpoint": external(".token"),
        "userinfo_endpoint": external(".userinfo"),
        "jwks_uri": external(".jwks"),
        "end_session_endpoint": external(".logout"),
    }
    return jsonify(discovery(stub(), endpoints))


@blueprint.get("/jwks")
def jwks():
    return jsonify({"keys": [stub().signing_key.as_dict(private=False)]})


@blueprint.route("/authorize", methods=["GET", "POST"])
def authorize():
    source = request.args if request.method == "GET" else request.form
    try:
        auth_request = check_request(stub(), source.to_dict())
    except BadRequest:
        return render_template("stub_idp/error.html"), 400
    if auth_request.error:
        return back_to_client(auth_request, error=auth_request.error)
    personas = load_personas()
    form = CardForm()
    form.persona.choices = [SelectChoice(p.id, p.name) for p in personas.values()]
    if request.method == "POST" and request.form.get("action") == "cancel":
        return back_to_client(auth_request, error="access_denied")
    if request.method == "POST" and form.validate_on_submit():
        persona = personas.get(form.persona.data)
        if persona is None:
            form.persona.errors = [form.persona.validators[0].message]
        else:
            with db.transaction() as tx:
                outcome, left = read_card(tx, persona, form.pin.data)
                code = (
                    issue_code(tx, auth_request, persona, clock.now()) if outcome == "ok" else None
                )
            if code:
                return back_to_client(auth_request, code=code)
            form.pin.errors = [_pin_message(outcome, left)]
    errors = card_errors(form)
    return render_template(
        "stub_idp/authorize.html",
        form=form,
        personas=personas,
        hidden=auth_request.fields(),
        action=url_for(".authorize"),
        errors=errors,
        has_errors=bool(errors),
    )


def card_errors(form: CardForm) -> list[tuple[str, str]]:
    """Return (anchor, message) for the card form's errors, in page order."""
    return [(name, str(form[name].errors[0])) for name in ("persona", "pin") if form[name].errors]


def _pin_message(outcome: str, left: int) -> str:
    from flask_babel import gettext as _
    from flask_babel import ngettext

    if outcome == "locked":
        return _(
            "This card is locked: the PIN was entered wrongly 3 times. "
            "A locked card is unlocked at the ward office."
        )
    return ngettext(
        "The PIN is wrong. You have %(num)d more try before the card locks.",
        "The PIN is wrong. You have %(num)d more tries before the card locks.",
        left,
    )


@blueprint.post("/token")
def token():
    now = clock.now()
    try:
        with db.transaction() as tx:
            client = authenticate_client(
                tx, stub(), request.form.to_dict(), external(".token"), now
            )
            body = redeem_code(tx, stub(), client.client_id, request.form.to_dict(), now)
    except ClientAuthError as error:
        log.warning("stub token endpoint: client refused (%s)", error)
        return _oauth_error("invalid_client", 401)
    except TokenError as error:
        log.warning("stub token endpoint: %s", error.error)
        return _oauth_error(error.error, error.status)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _oauth_error(error: str, status: int):
    response = jsonify(error=error)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/userinfo", methods=["GET", "POST"])
def userinfo():
    scheme, _space, bearer = request.headers.get("Authorization", "").partition(" ")
    claims = None
    if scheme.lower() == "bearer" and bearer:
        claims = userinfo_claims(db.session, stub(), bearer, clock.now())
    if claims is None:
        response = _oauth_error("invalid_token", 401)
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    return jsonify(claims)


@blueprint.get("/logout")
def logout():
    client = stub().clients.get(request.args.get("client_id", ""))
    target = request.args.get("post_logout_redirect_uri")
    if client is not None and target in client.post_logout_redirect_uris:
        state = request.args.get("state")
        return redirect(f"{target}?{urlencode({'state': state})}" if state else target)
    return render_template("stub_idp/logged_out.html")
