"""The signature result arrives as a JWE encrypted to the portal; anything else is refused."""

from __future__ import annotations

import base64
import json
import warnings
from collections.abc import Callable

import httpx2
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwe
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey, OctKey, RSAKey
from sqlalchemy import select

from portal.extensions import db
from portal.identity.keys import load_encryption_key, to_encryption_jwk
from portal.identity.models import DraftSignature, SubmissionSignature
from portal.identity.signature_result import (
    MEDIA_TYPE,
    UnreadableResult,
    decrypt_result,
    encrypt_result,
)
from tests.identity.test_sign_transactions import answers_are_kept
from tests.identity.test_signature_journey import PROCEDURE, PROCEDURES, fill_in, press_submit
from tests.support.signing import DEFAULT_SIGNER, enter_password, to_signing_page

Rewrite = Callable[[str, RSAKey], httpx2.Response]


class ResultRewriting(httpx2.BaseTransport):
    """The app's own transport; the signature result's answer is kept and may be replaced."""

    def __init__(self, app):
        self.app = app
        self.inner = httpx2.WSGITransport(app=app)
        self.rewrite: Rewrite | None = None
        self.results: list[httpx2.Response] = []

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if not request.url.path.endswith("/result") or response.status_code != 200:
            return response
        response.read()
        self.results.append(response)
        if self.rewrite is None:
            return response
        return self.rewrite(response.text, portal_key(self.app))


def portal_key(app) -> RSAKey:
    return app.extensions["portal.signing"].settings.encryption_key


@pytest.fixture
def database_url(sqlite_url):
    """On SQLite alone: reading the result is no matter of storage (the signing journeys of
    tests/identity run on both databases)."""
    return sqlite_url


@pytest.fixture
def rewriting(make_app):
    app = make_app(PROCEDURES_DIR=str(PROCEDURES))
    app.config["IDENTITY_HTTP_TRANSPORT"] = ResultRewriting(app)
    return app


def sign_with(app, client, rewrite: Rewrite | None):
    app.config["IDENTITY_HTTP_TRANSPORT"].rewrite = rewrite
    back = enter_password(client, to_signing_page(client, PROCEDURE), *DEFAULT_SIGNER)
    return client.get(back.location + "&lang=en")


def test_the_result_is_a_jwe_to_the_registered_key_and_verifies_as_before(rewriting):
    app, client = rewriting, rewriting.test_client()
    token = fill_in(client, app)
    page = sign_with(app, client, None)
    assert page.status_code == 302
    [response] = app.config["IDENTITY_HTTP_TRANSPORT"].results
    assert response.headers["content-type"] == MEDIA_TYPE
    body = response.text
    assert body.count(".") == 4 and "signature" not in body
    header = json.loads(base64.urlsafe_b64decode(body.split(".")[0] + "=="))
    assert header == {"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": portal_key(app).kid}
    press_submit(client, token)
    with app.app_context():
        [recorded] = db.session.scalars(select(SubmissionSignature)).all()
    assert (recorded.valid, recorded.reason) == (True, "valid")


def reencrypted(header: dict, to: Callable[[RSAKey], RSAKey] = lambda key: key) -> Rewrite:
    """Decrypt the stub's result with the portal's key and encrypt it again under `header`."""

    def rewrite(body: str, key: RSAKey) -> httpx2.Response:
        result = decrypt_result(body, key)
        algorithms = [header["alg"], header["enc"]]
        with warnings.catch_warnings():  # RSA1_5 is deprecated: the point of one test
            warnings.simplefilter("ignore", SecurityWarning)
            sealed = jwe.encrypt_compact(header, json.dumps(result), to(key), algorithms=algorithms)
        return httpx2.Response(200, text=sealed, headers={"content-type": MEDIA_TYPE})

    return rewrite


def test_rsa_oaep_with_sha1_is_accepted_too(rewriting):
    app, client = rewriting, rewriting.test_client()
    fill_in(client, app)
    page = sign_with(app, client, reencrypted({"alg": "RSA-OAEP", "enc": "A256GCM"}))
    assert page.status_code == 302
    with app.app_context():
        [kept] = db.session.scalars(select(DraftSignature)).all()
    assert (kept.valid, kept.reason) == (True, "valid")


def another_key(_key: RSAKey) -> RSAKey:
    return to_encryption_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def tampered(part: int) -> Rewrite:
    def rewrite(body: str, _key: RSAKey) -> httpx2.Response:
        parts = body.split(".")
        middle = len(parts[part]) // 2
        flipped = "A" if parts[part][middle] != "A" else "B"
        parts[part] = parts[part][:middle] + flipped + parts[part][middle + 1 :]
        return httpx2.Response(200, text=".".join(parts), headers={"content-type": MEDIA_TYPE})

    return rewrite


def direct(body: str, key: RSAKey) -> httpx2.Response:
    result = decrypt_result(body, key)
    header = {"alg": "dir", "enc": "A256GCM"}
    sealed = jwe.encrypt_compact(
        header, json.dumps(result), OctKey.generate_key(256), algorithms=["dir", "A256GCM"]
    )
    return httpx2.Response(200, text=sealed, headers={"content-type": MEDIA_TYPE})


def unencrypted(body: str, key: RSAKey) -> httpx2.Response:
    return httpx2.Response(200, json=decrypt_result(body, key))


def alg_none(body: str, key: RSAKey) -> httpx2.Response:
    header = base64.urlsafe_b64encode(b'{"alg":"none","enc":"A256GCM"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps(decrypt_result(body, key)).encode()).decode()
    return httpx2.Response(200, text=f"{header}..AAAA.{payload.rstrip('=')}.AAAA")


def with_header(header: dict) -> Rewrite:
    """Put `header` in place of the stub's protected header (the tag no longer matches)."""

    def rewrite(body: str, _key: RSAKey) -> httpx2.Response:
        encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
        return httpx2.Response(200, text=".".join([encoded, *body.split(".")[1:]]))

    return rewrite


def not_json_inside(_body: str, key: RSAKey) -> httpx2.Response:
    sealed = jwe.encrypt_compact(
        {"alg": "RSA-OAEP-256", "enc": "A256GCM"},
        b"signature=abc",
        key,
        algorithms=["RSA-OAEP-256", "A256GCM"],
    )
    return httpx2.Response(200, text=sealed)


@pytest.mark.parametrize(
    ("rewrite", "reason"),
    [
        (reencrypted({"alg": "RSA-OAEP-256", "enc": "A256GCM"}, another_key), "undecryptable"),
        (tampered(3), "undecryptable"),  # the ciphertext
        (tampered(4), "undecryptable"),  # the authentication tag
        (tampered(1), "undecryptable"),  # the encrypted key
        (direct, "algorithm_refused"),
        (alg_none, "algorithm_refused"),
        (reencrypted({"alg": "RSA1_5", "enc": "A256GCM"}), "algorithm_refused"),
        (reencrypted({"alg": "RSA-OAEP-256", "enc": "A128GCM"}), "algorithm_refused"),
        (reencrypted({"alg": "RSA-OAEP-256", "enc": "A256CBC-HS512"}), "algorithm_refused"),
        (unencrypted, "not_jwe"),
        (not_json_inside, "undecryptable"),
        (lambda _body, _key: httpx2.Response(200, text="a.b.c.d"), "not_jwe"),
        (lambda _body, _key: httpx2.Response(200, text="a.b.c.d.e"), "not_jwe"),
        (with_header({"alg": ["RSA-OAEP-256"], "enc": "A256GCM"}), "algorithm_refused"),
        (with_header({"alg": "RSA-OAEP-256", "enc": "A256GCM", "zip": "DEF"}), "algorithm_refused"),
    ],
    ids=[
        "to-another-key",
        "tampered-ciphertext",
        "tampered-tag",
        "tampered-encrypted-key",
        "alg-dir",
        "alg-none",
        "alg-rsa1_5",
        "enc-a128gcm",
        "enc-cbc",
        "plain-json",
        "not-json-inside",
        "four-parts",
        "five-parts-no-header",
        "alg-a-list",
        "zip",
    ],
)
def test_a_result_that_is_no_jwe_the_portal_can_read_is_refused_and_answers_kept(
    rewriting, rewrite, reason, caplog
):
    app, client = rewriting, rewriting.test_client()
    fill_in(client, app)
    page = sign_with(app, client, rewrite)
    assert page.status_code == 400
    assert "Signing with your My Number card did not work" in page.get_data(as_text=True)
    assert f"signature refused: reason=signature_result_{reason} " in caplog.text
    with app.app_context():
        assert db.session.scalars(select(DraftSignature)).all() == []
    answers_are_kept(client, app)


def test_the_signature_inside_the_jwe_is_still_verified(rewriting):
    app, client = rewriting, rewriting.test_client()
    fill_in(client, app)

    def other_signature(body: str, key: RSAKey) -> httpx2.Response:
        result = decrypt_result(body, key)
        raw = bytearray(base64.b64decode(result["signature"]))
        raw[-1] ^= 1
        result["signature"] = base64.b64encode(bytes(raw)).decode()
        return httpx2.Response(200, text=encrypt_result(result, key))

    assert sign_with(app, client, other_signature).status_code == 302
    with app.app_context():
        [kept] = db.session.scalars(select(DraftSignature)).all()
    assert (kept.valid, kept.reason) == (False, "signature_mismatch")


# -- the encryption key setting ---------------------------------------------------------------


def rsa_pem(bits: int = 2048) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_the_encryption_key_is_read_from_pem_jwk_or_a_file(tmp_path):
    pem = rsa_pem()
    from_pem = load_encryption_key(pem)
    assert from_pem.is_private and from_pem.get("use") == "enc" and from_pem.kid
    from_jwk = load_encryption_key(json.dumps(from_pem.as_dict(private=True)))
    assert from_jwk.thumbprint() == from_pem.thumbprint()
    path = tmp_path / "rp-enc.pem"
    path.write_text(pem)
    assert load_encryption_key(str(path)).thumbprint() == from_pem.thumbprint()


@pytest.mark.parametrize(
    "text",
    [
        lambda: rsa_pem(1024),
        lambda: ECKey.generate_key("P-256", private=True).as_pem(private=True).decode(),
        lambda: json.dumps(RSAKey.generate_key(2048, private=True).as_dict(private=False)),
    ],
    ids=["1024-bit", "ec", "public-only"],
)
def test_an_encryption_key_that_is_no_rsa_private_key_of_2048_bits_is_refused(text):
    with pytest.raises(ValueError):
        load_encryption_key(text())


def test_a_configured_key_is_the_one_the_stub_encrypts_to(make_app):
    pem = rsa_pem()
    app = make_app(PROCEDURES_DIR=str(PROCEDURES), MYNUMBER_ENCRYPTION_KEY=pem)
    assert portal_key(app).thumbprint() == load_encryption_key(pem).thumbprint()
    app.config["IDENTITY_HTTP_TRANSPORT"] = ResultRewriting(app)
    client = app.test_client()
    fill_in(client, app)
    assert sign_with(app, client, None).status_code == 302
    [response] = app.config["IDENTITY_HTTP_TRANSPORT"].results
    assert decrypt_result(response.text, load_encryption_key(pem))["signature"]


def real_provider(**overrides) -> dict:
    from portal.identity.stub_idp.signing import ca_certificate

    anchor = ca_certificate("test").public_bytes(serialization.Encoding.PEM).decode()
    return {
        "STUB_IDP_ENABLED": False,
        "MYNUMBER_ISSUER": "https://auth.digital.example/oidc",
        "MYNUMBER_CLIENT_ID": "yokohamaportal",
        "MYNUMBER_PRIVATE_KEY": ECKey.generate_key("P-256", private=True)
        .as_pem(private=True)
        .decode(),
        "MYNUMBER_SIGN_TRANSACTIONS_ENDPOINT": "https://auth.digital.example/api/sign-transactions",
        "MYNUMBER_SIGNATURE_TRUST_ANCHOR": anchor,
        **overrides,
    }


def test_signing_with_a_real_provider_and_no_encryption_key_stops_the_portal_starting(make_app):
    with pytest.raises(RuntimeError, match="PORTAL_MYNUMBER_ENCRYPTION_KEY is not set"):
        make_app(**real_provider())
    pem = rsa_pem()
    app = make_app(**real_provider(MYNUMBER_ENCRYPTION_KEY=pem))
    assert portal_key(app).thumbprint() == load_encryption_key(pem).thumbprint()


def test_the_stubs_client_registration_never_verifies_an_assertion_with_the_encryption_key(app):
    from portal.identity.stub_idp.config import stub_config

    client = stub_config(app.config).clients["yokohama-portal"]
    sealed = client.encryption_key()
    assert sealed is not None and not sealed.is_private
    assert client.signing_key(sealed.kid) is None
    assert {key.get("use") for key in client.public_keys.values()} == {"sig", "enc"}


def test_decrypting_needs_no_flask():
    key = to_encryption_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    assert decrypt_result(encrypt_result({"signature": "c2ln"}, key), key) == {"signature": "c2ln"}
    with pytest.raises(UnreadableResult):
        decrypt_result(json.dumps({"signature": "c2ln"}), key)
