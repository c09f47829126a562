"""Stub provider routes for electronic signatures: the signing page, its token endpoint, the CRL."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from cryptography.hazmat.primitives import serialization
from flask import Response, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from portal import clock
from portal.extensions import db
from portal.identity.stub_idp import blueprint
from portal.identity.stub_idp.client_auth import ClientAuthError, authenticate_client
from portal.identity.stub_idp.forms import SignForm
from portal.identity.stub_idp.personas import load_personas
from portal.identity.stub_idp.provider import TokenError
from portal.identity.stub_idp.signing import (
    BadSignRequest,
    SignRequest,
    ca_certificate,
    check_password,
    check_sign_request,
    issue_signature_code,
    redeem_signature_code,
    revocation_list,
)
from portal.identity.stub_idp.views import card_errors, external, stub

log = logging.getLogger(__name__)


def _back(sign_request: SignRequest, **params: str):
    query = urlencode({**params, "state": sign_request.state, "iss": stub().issuer})
    return redirect(f"{sign_request.redirect_uri}?{query}")


@blueprint.route("/sign", methods=["GET", "POST"])
def sign():
    source = request.args if request.method == "GET" else request.form
    try:
        sign_request, error = check_sign_request(stub(), current_app.config, source.to_dict())
    except BadSignRequest:
        return render_template("stub_idp/error.html"), 400
    if error:
        return _back(sign_request, error=error)
    if request.method == "POST" and request.form.get("action") == "cancel":
        return _back(sign_request, error="access_denied")
    personas = load_personas()
    form = SignForm()
    form.persona.choices = [SelectChoice(p.id, p.name) for p in personas.values()]
    if request.method == "POST" and form.validate_on_submit():
        persona = personas.get(form.persona.data)
        if persona is None:
            form.persona.errors = [form.persona.validators[0].message]
        else:
            secret = current_app.config["SECRET_KEY"]
            with db.transaction() as tx:
                outcome, left = check_password(tx, persona, form.pin.data)
                code = (
                    issue_signature_code(tx, secret, sign_request, persona, clock.now())
                    if outcome == "ok"
                    else None
                )
            if code:
                return _back(sign_request, code=code)
            form.pin.errors = [_password_message(outcome, left)]
    errors = card_errors(form)
    return render_template(
        "stub_idp/sign.html",
        form=form,
        personas=personas,
        hidden=sign_request.fields(),
        action=url_for(".sign"),
        digest=sign_request.digest,
        errors=errors,
    )


def _password_message(outcome: str, left: int) -> str:
    if outcome == "locked":
        return _(
            "The signature certificate is locked: its password was entered wrongly 5 times. "
            "It is unlocked at the ward office."
        )
    return ngettext(
        "The signature password is wrong. You have %(num)d more try before it locks.",
        "The signature password is wrong. You have %(num)d more tries before it locks.",
        left,
    )


@blueprint.post("/sign/token")
def sign_token():
    now = clock.now()
    form = request.form.to_dict()
    try:
        with db.transaction() as tx:
            client = authenticate_client(tx, stub(), form, external(".sign_token"), now)
            body = redeem_signature_code(
                tx, stub(), current_app.config["SECRET_KEY"], client.client_id, form, now
            )
    except ClientAuthError as error:
        log.warning("stub sign token endpoint: client refused (%s)", error)
        return _no_store(jsonify(error="invalid_client"), 401)
    except TokenError as error:
        log.warning("stub sign token endpoint: %s", error.error)
        return _no_store(jsonify(error=error.error), error.status)
    return _no_store(jsonify(body), 200)


def _no_store(response: Response, status: int) -> Response:
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/crl")
def crl():
    body = revocation_list(current_app.config["SECRET_KEY"], clock.now())
    return Response(body, mimetype="application/pkix-crl")


@blueprint.get("/ca.pem")
def ca():
    certificate = ca_certificate(current_app.config["SECRET_KEY"])
    return Response(
        certificate.public_bytes(serialization.Encoding.PEM), mimetype="application/x-pem-file"
    )
