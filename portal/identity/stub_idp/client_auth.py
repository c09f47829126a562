"""Authenticate a client at the stub's token endpoint by its private_key_jwt assertion."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from joserfc import jws
from joserfc.errors import JoseError
from sqlalchemy.orm import Session

from portal.identity.adapter import IdentityFailure
from portal.identity.id_token import b64_json
from portal.identity.models import StubAssertion
from portal.identity.stub_idp.config import Client, StubConfig

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class ClientAuthError(Exception):
    """The client could not be authenticated (the token endpoint answers invalid_client)."""


def authenticate_client(
    session: Session, stub: StubConfig, form: dict[str, str], token_endpoint: str, now: datetime
) -> Client:
    """Return the client whose signed assertion `form` carries, or raise ClientAuthError."""
    if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
        raise ClientAuthError("private_key_jwt is required")
    assertion = form["client_assertion"]
    try:
        header = b64_json(assertion.split(".", 1)[0])
        unverified = b64_json(assertion.split(".")[1])
    except (IdentityFailure, IndexError):
        raise ClientAuthError("malformed assertion") from None
    client = stub.clients.get(str(unverified.get("iss")))
    if client is None or header.get("alg") != "ES256":
        raise ClientAuthError("unknown client or algorithm")
    # As a provider holding several registered keys of one client: the header's kid picks one.
    key = client.signing_key(str(header.get("kid")))
    if key is None:
        raise ClientAuthError("no registered key has this kid")
    try:
        claims = json.loads(jws.deserialize_compact(assertion, key, algorithms=["ES256"]).payload)
    except (JoseError, ValueError):
        raise ClientAuthError("bad assertion signature") from None
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    stamp = now.timestamp()
    if (
        claims.get("sub") != client.client_id
        or form.get("client_id", client.client_id) != client.client_id
        or not {token_endpoint, stub.issuer} & set(audiences)
        or not isinstance(claims.get("exp"), int | float)
        or claims["exp"] <= stamp
        or not isinstance(claims.get("jti"), str)
    ):
        raise ClientAuthError("assertion claims refused")
    jti = f"{client.client_id}:{claims['jti']}"[:255]
    if session.get(StubAssertion, jti) is not None:
        raise ClientAuthError("assertion replayed")
    session.add(StubAssertion(jti=jti, expires_at=datetime.fromtimestamp(claims["exp"], UTC)))
    return client
