"""Stub provider routes for electronic signatures: sign transactions, the signing page, the CRL.

As デジタル認証アプリ: the client opens a sign transaction with its own token (client
credentials) at `POST /api/sign-transactions`, sends the resident to authorize with `scope`
including `sign` and the `sign_transaction_id` (this stub shows its signing page for that), and
collects the signature and certificate at `GET /api/sign-transactions/<id>/result` with the
access token of the resident's signing, as a JWE encrypted to the client's registered
encryption key (`use: enc`).
"""

from __future__ import annotations

import logging

from cryptography.hazmat.primitives import serialization
from flask import Response, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from portal import clock
from portal.extensions import db
from portal.identity.signature_result import MEDIA_TYPE, encrypt_result
from portal.identity.stub_idp import blueprint
from portal.identity.stub_idp.forms import SignForm
from portal.identity.stub_idp.personas import load_personas
from portal.identity.stub_idp.provider import BadRequest, bearer_token, check_request, issue_code
from portal.identity.stub_idp.signing import (
    TransactionError,
    ca_certificate,
    check_password,
    open_for,
    open_transaction,
    revocation_list,
    sign_transaction,
    signed_hash,
    transaction_result,
)
from portal.identity.stub_idp.views import back_to_client, card_errors, stub

log = logging.getLogger(__name__)


def _bearer() -> str:
    scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
    return value if scheme.lower() == "bearer" else ""


def _api_error(error: str, status: int) -> Response:
    response = jsonify(error=error)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@blueprint.post("/api/sign-transactions")
def open_sign_transaction():
    now = clock.now()
    with db.transaction() as tx:
        token = bearer_token(tx, _bearer(), now)
        # Only the client's own token (client credentials) opens transactions.
        if token is None or token.persona_id != "" or token.client_id not in stub().clients:
            return _api_error("invalid_token", 401)
        try:
            found = open_transaction(tx, token.client_id, request.get_json(silent=True), now)
        except TransactionError as error:
            return _api_error(error.error, error.status)
        body = {"sign_transaction_id": found.id, "expires_at": found.expires_at.isoformat()}
    response = jsonify(body)
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/api/sign-transactions/<transaction_id>/result")
def sign_transaction_result(transaction_id: str):
    now = clock.now()
    with db.transaction() as tx:
        token = bearer_token(tx, _bearer(), now)
        if token is None or not token.persona_id:
            return _api_error("invalid_token", 401)
        try:
            body = transaction_result(
                tx, current_app.config["SECRET_KEY"], stub().issuer, transaction_id, token, now
            )
        except TransactionError as error:
            log.warning("stub sign transaction result refused: %s", error.error)
            return _api_error(error.error, error.status)
    # As the service: the result travels encrypted to the client's registered `use: enc` key.
    key = stub().clients[token.client_id].encryption_key()
    if key is None:
        return _api_error("invalid_client", 400)
    response = Response(encrypt_result(body, key), mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/sign", methods=["GET", "POST"])
def sign():
    source = request.args if request.method == "GET" else request.form
    settings = stub()
    try:
        auth_request = check_request(settings, source.to_dict())
    except BadRequest:
        return render_template("stub_idp/error.html"), 400
    if auth_request.error or "sign" not in auth_request.scope.split():
        return back_to_client(auth_request, error=auth_request.error or "invalid_scope")
    if request.method == "POST" and request.form.get("action") == "cancel":
        return back_to_client(auth_request, error="access_denied")
    transaction_id = source.get("sign_transaction_id", "")
    now = clock.now()
    try:
        with db.transaction() as tx:
            digest = open_for(tx, transaction_id, auth_request.client_id, now).digest
    except TransactionError as error:
        return back_to_client(auth_request, error=error.error)
    personas = load_personas()
    form = SignForm()
    form.persona.choices = [SelectChoice(p.id, p.name) for p in personas.values()]
    if request.method == "POST" and form.validate_on_submit():
        persona = personas.get(form.persona.data)
        if persona is None:
            form.persona.errors = [form.persona.validators[0].message]
        else:
            secret = current_app.config["SECRET_KEY"]
            try:
                with db.transaction() as tx:
                    outcome, left = check_password(tx, persona, form.pin.data)
                    code = None
                    if outcome == "ok":
                        transaction = open_for(tx, transaction_id, auth_request.client_id, now)
                        sign_transaction(secret, transaction, persona)
                        code = issue_code(tx, auth_request, persona, now)
            except TransactionError as error:  # signed meanwhile, in another tab
                return back_to_client(auth_request, error=error.error)
            if code:
                return back_to_client(auth_request, code=code)
            form.pin.errors = [_password_message(outcome, left)]
    shown = signed_hash(digest, False) or signed_hash(digest, True) or b""
    return render_template(
        "stub_idp/sign.html",
        form=form,
        personas=personas,
        hidden={**auth_request.fields(), "sign_transaction_id": transaction_id},
        action=url_for(".sign"),
        digest=shown.hex(),
        errors=card_errors(form),
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
