"""ID tokens the stub provider signs (ES256), and the faulty ones tests ask it for."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from joserfc import jwt

from portal.identity.stub_idp.config import StubConfig

LIFETIME = 300


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def id_token_claims(
    stub: StubConfig,
    *,
    client_id: str,
    sub: str,
    nonce: str | None,
    acr: str | None,
    auth_time: int,
    now: int,
) -> dict[str, Any]:
    """Return the claims of an ID token, bent by whichever faults are on."""
    claims: dict[str, Any] = {
        "iss": stub.issuer,
        "sub": sub,
        "aud": client_id,
        "exp": now + LIFETIME,
        "iat": now,
        "auth_time": auth_time,
        "acr": acr or "aal3",
        "amr": list(stub.amr),
    }
    if nonce is not None:
        claims["nonce"] = nonce
    if stub.has("wrong_iss"):
        claims["iss"] = "https://attacker.invalid/idp"
    if stub.has("wrong_aud"):
        claims["aud"], claims["azp"] = "some-other-client", client_id
    if stub.has("missing_sub"):
        del claims["sub"]
    if stub.has("missing_iat"):
        del claims["iat"]
    if stub.has("expired"):
        claims["exp"] = now - 3600
        claims["iat"] = now - 3900
    if stub.has("wrong_nonce"):
        claims["nonce"] = "not-the-nonce-you-sent"
    if stub.has("low_acr"):
        claims["acr"] = "aal1"
    return claims


def sign_id_token(stub: StubConfig, claims: dict[str, Any]) -> str:
    """Sign `claims` as an ID token: ES256 with the published key, unless a fault says otherwise."""
    key = stub.signing_key
    if stub.has("alg_none"):
        return _unsigned({"alg": "none", "typ": "JWT", "kid": key.kid}, claims) + "."
    if stub.has("hmac"):
        # The classic confusion attack: HMAC keyed with the provider's public key.
        secret = json.dumps(key.as_dict(private=False), sort_keys=True).encode()
        signing_input = _unsigned({"alg": "HS256", "typ": "JWT", "kid": key.kid}, claims)
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64(mac)}"
    if stub.has("unknown_kid"):
        key = stub.rogue_key
    header = {"alg": "ES256", "typ": "JWT"} | ({} if stub.has("no_kid") else {"kid": key.kid})
    token = jwt.encode(header, claims, key, algorithms=["ES256"])
    if stub.has("bad_signature"):
        head, body, signature = token.split(".")
        raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
        raw[5] ^= 0xFF
        token = f"{head}.{body}.{_b64(bytes(raw))}"
    return token
