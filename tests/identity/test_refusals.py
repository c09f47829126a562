"""A misbehaving provider (the stub with a fault switched on) is refused, every time, cleanly."""

from __future__ import annotations

import logging
from urllib.parse import urlparse

import httpx2
import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.identity.models import IdentitySession
from tests.support.html_invariants import problems_in
from tests.support.identity import DEFAULT_PERSONA, to_provider, to_provider_and_back

PROCEDURE = "card-prefill"
SIGN_IN = f"/procedures/{PROCEDURE}/sign-in"

REFUSALS = [
    ("bad_signature", "id_token_bad_signature"),
    ("alg_none", "id_token_alg_not_allowed"),
    ("hmac", "id_token_alg_not_allowed"),
    ("wrong_iss", "id_token_wrong_iss"),
    ("wrong_aud", "id_token_wrong_aud"),
    ("missing_sub", "id_token_missing_sub"),
    ("missing_iat", "id_token_missing_iat"),
    ("expired", "id_token_expired"),
    ("wrong_nonce", "id_token_wrong_nonce"),
    ("unknown_kid", "id_token_unknown_kid"),
    ("userinfo_sub_mismatch", "userinfo_sub_mismatch"),
    ("missing_id_token", "missing_id_token"),
    ("low_acr", "id_token_acr_too_low"),
]


@pytest.fixture
def database_url(sqlite_url):
    """Run on SQLite alone: ID-token checks happen before anything is stored."""
    return sqlite_url


def begin(client) -> None:
    token = client.csrf_token(f"/procedures/{PROCEDURE}")
    client.post(f"/procedures/{PROCEDURE}/start", data={"csrf_token": token})


def assert_refused_cleanly(client, app, response, caplog, reason: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert not problems_in(html), problems_in(html)
    assert "We could not confirm who you are" in html and "What you can do" in html
    assert f"reason={reason}" in caplog.text
    with client.session_transaction() as browser:
        assert "identity" not in browser and "identity_pending" not in browser
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IdentitySession)) == 0
    gated = client.get(f"/procedures/{PROCEDURE}/applicant")
    assert urlparse(gated.location).path == SIGN_IN


@pytest.mark.parametrize(("fault", "reason"), REFUSALS)
def test_provider_fault_is_refused_with_a_clear_page_and_no_session(
    make_identity_app, caplog, fault, reason
):
    app = make_identity_app(fault)
    client = app.test_client()
    begin(client)
    client.get("/?lang=en")
    callback = to_provider_and_back(client, SIGN_IN, DEFAULT_PERSONA)
    with caplog.at_level(logging.WARNING):
        response = client.get(callback)
    assert_refused_cleanly(client, app, response, caplog, reason)


def test_provider_that_does_not_offer_pkce_s256_is_refused_before_the_resident_leaves(
    make_identity_app, caplog
):
    app = make_identity_app("pkce_unsupported")
    client = app.test_client()
    begin(client)
    client.get("/?lang=en")
    token = client.csrf_token(SIGN_IN)
    with caplog.at_level(logging.WARNING):
        response = client.post(SIGN_IN, data={"csrf_token": token, "adapter": "mynumber"})
    assert_refused_cleanly(client, app, response, caplog, "provider_without_pkce_s256")


def test_japanese_failure_page_is_in_the_residents_language(make_identity_app):
    app = make_identity_app("wrong_nonce")
    client = app.test_client()
    begin(client)
    response = client.get(to_provider_and_back(client, SIGN_IN, DEFAULT_PERSONA))
    assert response.status_code == 400
    assert '<html lang="ja">' in response.get_data(as_text=True)


def test_callback_with_a_forged_state_is_refused(client, app, caplog):
    begin(client)
    callback = to_provider_and_back(client, SIGN_IN, DEFAULT_PERSONA)
    forged = callback.replace("state=", "state=x")
    with caplog.at_level(logging.WARNING):
        response = client.get(forged + "&lang=en")
    assert_refused_cleanly(client, app, response, caplog, "state_mismatch")


def test_callback_replayed_after_use_is_refused(client, app, caplog):
    begin(client)
    callback = to_provider_and_back(client, SIGN_IN, DEFAULT_PERSONA)
    assert client.get(callback).status_code == 302
    with client.session_transaction() as browser:
        browser.pop("identity")
    with caplog.at_level(logging.WARNING):
        response = client.get(callback + "&lang=en")
    assert response.status_code == 400
    assert "reason=no_sign_in_in_progress" in caplog.text


def test_intercepted_code_cannot_be_redeemed_without_the_pkce_verifier(client, app):
    begin(client)
    callback = to_provider_and_back(client, SIGN_IN, DEFAULT_PERSONA)
    code = dict(pair.split("=", 1) for pair in urlparse(callback).query.split("&"))["code"]
    adapter = app.extensions["portal.identity"].get("mynumber")
    with app.test_request_context(), pytest.raises(Exception) as refused:
        adapter.relying_party._token(code, "x" * 64, app.config["CLOCK"]().timestamp())
    assert getattr(refused.value, "reason", "") == "token_request_failed"


def test_token_endpoint_refuses_a_client_without_a_valid_private_key_jwt(client, app):
    transport = httpx2.WSGITransport(app=app)
    with httpx2.Client(transport=transport, base_url="http://localhost") as http:
        plain = http.post(
            "/stub-idp/token",
            data={"grant_type": "authorization_code", "code": "x", "client_id": "yokohama-portal"},
        )
        forged = http.post(
            "/stub-idp/token",
            data={
                "grant_type": "authorization_code",
                "code": "x",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ5b2tvaGFtYS1wb3J0YWwifQ.",
            },
        )
    assert plain.status_code == 401 and plain.json() == {"error": "invalid_client"}
    assert forged.status_code == 401


def test_new_signing_key_is_fetched_once_when_an_unknown_kid_arrives(client, app):
    fetched: list[str] = []
    inner = httpx2.WSGITransport(app=app)

    class Counting(httpx2.BaseTransport):
        def handle_request(self, request):
            fetched.append(request.url.path)
            return inner.handle_request(request)

    app.config["IDENTITY_HTTP_TRANSPORT"] = Counting()
    begin(client)
    assert client.get(to_provider_and_back(client, SIGN_IN, DEFAULT_PERSONA)).status_code == 302
    app.config["STUB_IDP_KEY_GENERATION"] = 2
    other = app.test_client()
    begin(other)
    assert other.get(to_provider_and_back(other, SIGN_IN, DEFAULT_PERSONA)).status_code == 302
    assert fetched.count("/stub-idp/jwks") == 2


def test_sign_in_page_refuses_an_adapter_the_procedure_cannot_use(client, app):
    begin(client)
    token = client.csrf_token(SIGN_IN)
    assert client.post(SIGN_IN, data={"csrf_token": token, "adapter": "nobody"}).status_code == 400
    assert to_provider(client, SIGN_IN).startswith("http://localhost/stub-idp/authorize?")
