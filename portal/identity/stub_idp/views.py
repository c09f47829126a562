"""Stub provider routes: discovery, JWKS, the card page, token, userinfo, logout.

The responses other than the card page are built by functions that take the stub's settings, so
the stub staff directory (directory.py) serves the same protocol under its own issuer.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
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
    issue_client_token,
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
    return endpoint_url(stub(), blueprint, endpoint)


def endpoint_url(settings: StubConfig, served_by: Blueprint, endpoint: str) -> str:
    """Return the absolute URL of an endpoint of the stub `served_by` serves, under its issuer."""
    return settings.issuer + url_for(endpoint).removeprefix(served_by.url_prefix or "")


def back_to_client(
    request_: AuthorizationRequest, settings: StubConfig | None = None, **params: str
):
    """Redirect to the client's registered redirect URI with `params` and the state."""
    issuer = (settings or stub()).issuer
    query = urlencode({**params, "state": request_.state, "iss": issuer})
    separator = "&" if "?" in request_.redirect_uri else "?"
    return redirect(f"{request_.redirect_uri}{separator}{query}")


def discovery_response(settings: StubConfig, served_by: Blueprint) -> Response:
    """Return the discovery document of the stub `served_by` serves."""
    names = {
        "authorization_endpoint": ".authorize",
        "token_endpoint": ".token",
        "userinfo_endpoint": ".userinfo",
        "jwks_uri": ".jwks",
        "end_session_endpoint": ".logout",
    }
    endpoints = {
        key: endpoint_url(settings, served_by, name)
        for key, name in names.items()
        if f"{served_by.name}{name}" in current_app.view_functions
    }
    return jsonify(discovery(settings, endpoints))


def jwks_response(settings: StubConfig) -> Response:
    """Return the stub's public signing key set."""
    key = settings.signing_key.as_dict(private=False)
    if settings.has("no_kid"):
        key.pop("kid", None)
    return jsonify({"keys": [key]})


@blueprint.get("/.well-known/openid-configuration")
def openid_configuration():
    return discovery_response(stub(), blueprint)


@blueprint.get("/jwks")
def jwks():
    return jwks_response(stub())


@blueprint.route("/authorize", methods=["GET", "POST"])
def authorize():
    source = request.args if request.method == "GET" else request.form
    try:
        auth_request = check_request(stub(), source.to_dict())
    except BadRequest:
        return render_template("stub_idp/error.html"), 400
    if auth_request.error:
        return back_to_client(auth_request, error=auth_request.error)
    if "sign" in auth_request.scope.split():
        # Signing: the card's signature certificate and its password, on the signing page.
        query = {
            **auth_request.fields(),
            "sign_transaction_id": source.get("sign_transaction_id", ""),
        }
        return redirect(f"{external('.sign')}?{urlencode(query)}")
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
    return token_response(stub(), external(".token"))


def token_response(settings: StubConfig, token_endpoint: str) -> Response:
    """Authenticate the client, redeem its code and answer with tokens or an OAuth error."""
    now = clock.now()
    try:
        with db.transaction() as tx:
            form = request.form.to_dict()
            client = authenticate_client(tx, settings, form, token_endpoint, now)
            if form.get("grant_type") == "client_credentials" and settings.client_credentials:
                body = issue_client_token(tx, client.client_id, now)
            else:
                body = redeem_code(tx, settings, client.client_id, form, now)
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
    return userinfo_response(stub())


def userinfo_response(settings: StubConfig) -> Response:
    """Answer with the claims the bearer token grants, or invalid_token."""
    scheme, _space, bearer = request.headers.get("Authorization", "").partition(" ")
    claims = None
    if scheme.lower() == "bearer" and bearer:
        claims = userinfo_claims(db.session, settings, bearer, clock.now())
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
