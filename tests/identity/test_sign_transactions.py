"""The sign-transaction flow as デジタル認証アプリ documents it, relying party and stub."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.identity.models import DraftSignature, StubSignTransaction, SubmissionSignature
from portal.identity.signature_verification import DIGEST_INFO_SHA256
from portal.identity.signatures import answers_digest
from portal.models import Draft
from tests.identity.test_signature_journey import PROCEDURE, PROCEDURES, fill_in, press_submit
from tests.support.signing import DEFAULT_SIGNER, enter_password, sign, to_signing_page


class Recording(httpx2.BaseTransport):
    """The app's own transport, remembering each request; `refuse` answers a path with 500."""

    def __init__(self, app):
        self.inner = httpx2.WSGITransport(app=app)
        self.requests: list[httpx2.Request] = []
        self.refuse: set[str] = set()

    def handle_request(self, request):
        self.requests.append(request)
        if request.url.path in self.refuse:
            return httpx2.Response(500, json={"error": "server_error"})
        return self.inner.handle_request(request)

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.url.path) for r in self.requests if "/stub-idp/" in r.url.path]


@pytest.fixture
def recording(make_app):
    app = make_app(PROCEDURES_DIR=str(PROCEDURES))
    app.config["IDENTITY_HTTP_TRANSPORT"] = Recording(app)
    return app


def form_of(request: httpx2.Request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


def test_signing_follows_the_sign_transaction_flow(recording):
    app, transport = recording, recording.config["IDENTITY_HTTP_TRANSPORT"]
    client = app.test_client()
    token = fill_in(client, app)
    transport.requests.clear()
    signing_page = to_signing_page(client, PROCEDURE)
    opened = [r for r in transport.requests if r.url.path.endswith("/api/sign-transactions")]
    [own_token] = [r for r in transport.requests if r.url.path == "/stub-idp/token"]
    assert form_of(own_token)["grant_type"] == "client_credentials"
    assert form_of(own_token)["client_assertion_type"].endswith("jwt-bearer")
    [create] = opened
    assert create.method == "POST" and create.headers["authorization"].startswith("Bearer ")
    procedure = app.extensions["portal.procedures"].get(PROCEDURE)
    with app.app_context():
        answers = db.session.scalar(select(Draft)).answers
    from portal.procedure.flow import Flow

    digest = answers_digest(procedure, Flow(procedure, answers).effective_answers())
    sent = json.loads(create.content)
    assert base64.b64decode(sent["digest"]) == bytes.fromhex(digest)
    assert sent["digest_info"] is False
    query = parse_qs(urlparse(signing_page).query)
    assert set(query["scope"][0].split()) == {"openid", "sign"}
    with app.app_context():
        [transaction] = db.session.scalars(select(StubSignTransaction)).all()
    assert query["sign_transaction_id"] == [transaction.id]
    transport.requests.clear()
    back = enter_password(client, signing_page, *DEFAULT_SIGNER)
    client.get(back.location)
    calls = transport.calls()
    result = ("GET", f"/stub-idp/api/sign-transactions/{transaction.id}/result")
    assert calls.index(("POST", "/stub-idp/token")) < calls.index(result)
    [code] = [r for r in transport.requests if r.url.path == "/stub-idp/token"]
    assert form_of(code)["grant_type"] == "authorization_code"
    press_submit(client, token)
    with app.app_context():
        [recorded] = db.session.scalars(select(SubmissionSignature)).all()
    assert (recorded.valid, recorded.reason, recorded.digest) == (True, "valid", digest)


def test_the_digest_info_form_is_sent_when_configured_and_still_verifies(make_app):
    app = make_app(PROCEDURES_DIR=str(PROCEDURES), MYNUMBER_SIGNATURE_DIGEST_INFO="1")
    client = app.test_client()
    fill_in(client, app)
    sign(client, PROCEDURE)
    with app.app_context():
        [transaction] = db.session.scalars(select(StubSignTransaction)).all()
        [kept] = db.session.scalars(select(DraftSignature)).all()
    raw = base64.b64decode(transaction.digest)
    assert transaction.digest_info and raw == DIGEST_INFO_SHA256 + bytes.fromhex(kept.digest)
    assert (kept.valid, kept.reason) == (True, "valid")


def test_a_digest_info_setting_other_than_0_or_1_stops_the_portal_from_starting(make_app):
    with pytest.raises(RuntimeError, match="PORTAL_MYNUMBER_SIGNATURE_DIGEST_INFO must be 0 or 1"):
        make_app(PROCEDURES_DIR=str(PROCEDURES), MYNUMBER_SIGNATURE_DIGEST_INFO="yes")


def answers_are_kept(client, app) -> None:
    assert client.get(f"/procedures/{PROCEDURE}/check").status_code == 200
    with app.app_context():
        [draft] = db.session.scalars(select(Draft)).all()
        assert draft.answers and draft.submission_id is None


def test_a_transaction_that_expired_at_the_provider_says_the_time_ran_out(make_app, clock):
    app = make_app(PROCEDURES_DIR=str(PROCEDURES))
    client = app.test_client()
    fill_in(client, app)
    signing_page = to_signing_page(client, PROCEDURE)
    clock.at += timedelta(minutes=10, seconds=1)  # the stub keeps a transaction 10 minutes
    back = client.get(signing_page)  # the stub's signing page sends the resident back
    assert parse_qs(urlparse(back.location).query)["error"] == ["sign_transaction_expired"]
    page = client.get(back.location + "&lang=en")
    assert page.status_code == 400
    assert "The time for signing ran out" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(DraftSignature)).all() == []
    answers_are_kept(client, app)


def test_coming_back_too_late_says_the_time_ran_out(make_app, clock):
    app = make_app(PROCEDURES_DIR=str(PROCEDURES))
    client = app.test_client()
    fill_in(client, app)
    back = enter_password(client, to_signing_page(client, PROCEDURE), *DEFAULT_SIGNER)
    clock.at += timedelta(minutes=10, seconds=1)
    page = client.get(back.location + "&lang=en")
    assert page.status_code == 400
    assert "The time for signing ran out" in page.get_data(as_text=True)
    answers_are_kept(client, app)


@pytest.mark.parametrize("refused", ["/stub-idp/token", "/stub-idp/api/sign-transactions"])
def test_a_provider_that_refuses_to_open_a_transaction_is_explained_and_answers_kept(
    recording, refused, caplog
):
    app = recording
    client = app.test_client()
    fill_in(client, app)
    app.config["IDENTITY_HTTP_TRANSPORT"].refuse.add(refused)
    path = f"/procedures/{PROCEDURE}/sign"
    from tests.support.identity import hidden_fields

    token = hidden_fields(client.get(path).get_data(as_text=True))["csrf_token"]
    page = client.post(f"{path}?lang=en", data={"csrf_token": token})
    assert page.status_code == 400
    assert "Signing with your My Number card did not work" in page.get_data(as_text=True)
    assert "signature refused: reason=" in caplog.text
    answers_are_kept(client, app)


def test_a_result_the_provider_will_not_give_is_refused_and_nothing_kept(recording):
    app = recording
    client = app.test_client()
    fill_in(client, app)
    back = enter_password(client, to_signing_page(client, PROCEDURE), *DEFAULT_SIGNER)
    with app.app_context():
        [transaction] = db.session.scalars(select(StubSignTransaction)).all()
    app.config["IDENTITY_HTTP_TRANSPORT"].refuse.add(
        f"/stub-idp/api/sign-transactions/{transaction.id}/result"
    )
    page = client.get(back.location + "&lang=en")
    assert page.status_code == 400
    assert "Signing with your My Number card did not work" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(DraftSignature)).all() == []


# -- the stub's API on its own ------------------------------------------------------------------


def api(app):
    return httpx2.Client(transport=httpx2.WSGITransport(app=app), base_url="http://localhost")


def own_token(app) -> str:
    from portal import clock as portal_clock
    from portal.identity.mynumber import settings_from_config
    from portal.identity.oidc import OIDCRelyingParty

    with app.app_context():
        party = OIDCRelyingParty(
            settings_from_config(app.config),
            now=portal_clock.now,
            transport=lambda: httpx2.WSGITransport(app=app),
        )
        return party.client_token()


def test_the_stub_opens_transactions_only_for_a_clients_own_token(app):
    digest = base64.b64encode(b"\1" * 32).decode()
    with api(app) as http:
        assert (
            http.post("/stub-idp/api/sign-transactions", json={"digest": digest}).status_code == 401
        )
        bearer = {"Authorization": f"Bearer {own_token(app)}"}
        opened = http.post(
            "/stub-idp/api/sign-transactions", json={"digest": digest}, headers=bearer
        )
        assert opened.status_code == 201 and opened.json()["sign_transaction_id"]
        tx_id = opened.json()["sign_transaction_id"]
        # The client's own token reads no signature, and no card facts.
        result = http.get(f"/stub-idp/api/sign-transactions/{tx_id}/result", headers=bearer)
        assert result.status_code == 401
        assert http.get("/stub-idp/userinfo", headers=bearer).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"digest": base64.b64encode(b"\1" * 31).decode()},
        {"digest": "not base64!"},
        {"digest": base64.b64encode(b"\1" * 32).decode(), "digest_info": True},
        {"digest": base64.b64encode(b"\1" * 32).decode(), "digest_info": "yes"},
        {},
        ["digest"],
    ],
)
def test_the_stub_refuses_a_transaction_that_is_no_sha256_digest(app, body):
    with api(app) as http:
        bearer = {"Authorization": f"Bearer {own_token(app)}"}
        response = http.post("/stub-idp/api/sign-transactions", json=body, headers=bearer)
    assert (response.status_code, response.json()) == (400, {"error": "invalid_request"})


def test_a_resident_of_the_sample_residence_certificate_signs_through_a_sign_transaction(
    make_app,
):
    from tests.support.journey import walk

    app = make_app()  # the sample procedures
    procedure = app.extensions["portal.procedures"].get("residence-certificate")
    assert procedure.signature == "required"
    walk(app.test_client(), procedure)
    with app.app_context():
        [transaction] = db.session.scalars(select(StubSignTransaction)).all()
        [recorded] = db.session.scalars(select(SubmissionSignature)).all()
    assert transaction.persona_id == "minato-hanako"
    assert base64.b64decode(transaction.digest) == bytes.fromhex(recorded.digest)
    assert (recorded.valid, recorded.reason) == (True, "valid")
