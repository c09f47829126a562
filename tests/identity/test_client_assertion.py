"""The client assertion (private_key_jwt) names its key by `kid`; the stub picks the key by it."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwt
from joserfc.jwk import ECKey

from portal.identity.id_token import b64_json
from portal.identity.keys import to_jwk
from portal.identity.mynumber import settings_from_config
from portal.identity.oidc import client_assertion
from portal.identity.stub_idp.client_auth import (
    ASSERTION_TYPE,
    ClientAuthError,
    authenticate_client,
)
from portal.identity.stub_idp.config import Client, StubConfig
from tests.support.journey import walk

NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
ENDPOINT = "http://localhost/stub-idp/token"


class Assertions:
    """Stands in for the database session: remembers the assertions used."""

    def __init__(self):
        self.used = {}

    def get(self, _model, jti):
        return self.used.get(jti)

    def add(self, row):
        self.used[row.jti] = row


def key(kid: str) -> ECKey:
    return to_jwk(ec.generate_private_key(ec.SECP256R1()), kid)


def public(private: ECKey) -> ECKey:
    return ECKey.import_key(private.as_dict(private=False))


def signed(private: ECKey, kid: str | None, jti: str = "j1") -> str:
    claims = {
        "iss": "rp",
        "sub": "rp",
        "aud": ENDPOINT,
        "jti": jti,
        "exp": int(NOW.timestamp()) + 60,
    }
    header = {"alg": "ES256"} | ({"kid": kid} if kid else {})
    return jwt.encode(header, claims, private, algorithms=["ES256"])


def stub_with(*keys: ECKey) -> StubConfig:
    client = Client("rp", ("http://localhost/cb",), (), {k.kid: public(k) for k in keys})
    return StubConfig(
        issuer="http://localhost/stub-idp",
        signing_key=key("s"),
        rogue_key=key("r"),
        pairwise_secret=b"x",
        clients={"rp": client},
        faults=frozenset(),
    )


def authenticate(stub: StubConfig, assertion: str):
    form = {"client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
    return authenticate_client(Assertions(), stub, form, ENDPOINT, NOW)


def test_the_portals_assertion_names_the_configured_kid(make_identity_app):
    app = make_identity_app(MYNUMBER_CLIENT_KEY_ID="yokohama-rp-2026-12")
    settings = settings_from_config(app.config)
    assert settings.private_key.kid == "yokohama-rp-2026-12"
    auth = client_assertion(settings.private_key, ENDPOINT, NOW.timestamp())
    assertion = auth.sign(
        SimpleNamespace(client_id=settings.client_id, client_secret=settings.private_key), ENDPOINT
    )
    header = b64_json(assertion.split(".")[0])
    assert (header["alg"], header["kid"]) == ("ES256", "yokohama-rp-2026-12")


def test_without_a_configured_kid_the_key_goes_by_its_thumbprint(app):
    settings = settings_from_config(app.config)
    assert settings.private_key.kid == settings.private_key.thumbprint()


def test_sign_in_works_end_to_end_with_a_configured_kid(make_identity_app):
    app = make_identity_app(MYNUMBER_CLIENT_KEY_ID="yokohama-rp-2026-12")
    procedure = app.extensions["portal.procedures"].get("card-prefill")
    assert walk(app.test_client(), procedure).reference


def test_stub_with_two_registered_keys_verifies_each_by_its_kid():
    old, new = key("old"), key("new")
    stub = stub_with(old, new)
    assert authenticate(stub, signed(old, "old")).client_id == "rp"
    assert authenticate(stub, signed(new, "new")).client_id == "rp"


@pytest.mark.parametrize(
    ("kid", "why"),
    [
        ("new", "bad assertion signature"),  # signed with the old key, claiming the new one's kid
        ("unknown", "no registered key has this kid"),
        (None, "no registered key has this kid"),
    ],
)
def test_stub_refuses_an_assertion_whose_kid_does_not_name_its_key(kid, why):
    old, new = key("old"), key("new")
    with pytest.raises(ClientAuthError, match=why):
        authenticate(stub_with(new), signed(old, kid))
