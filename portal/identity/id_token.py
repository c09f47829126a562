"""Check an ID token strictly, claim by claim, without trusting library defaults."""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import Key

from portal.identity.adapter import IdentityFailure

#: Only asymmetric algorithms can ever be allowed: never `none`, never HMAC.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"}
)
#: How far apart two clocks may be, in seconds.
LEEWAY = 60
#: The oldest an ID token may be when it arrives, in seconds.
MAX_AGE = 600


class KeySource(Protocol):
    """Where a token's signing keys come from (portal.identity.jwks.ProviderKeys)."""

    def candidates(self, kid: str | None, alg: str) -> list[Key]: ...

    def refreshed_candidates(self, kid: str | None, alg: str) -> list[Key] | None: ...


@dataclass(frozen=True)
class Expected:
    """What a valid ID token must say."""

    issuer: str
    client_id: str
    nonce: str
    algorithms: tuple[str, ...]
    accepted_acr: frozenset[str]
    now: float


def b64_json(part: str) -> dict[str, Any]:
    """Decode one base64url JSON part of a compact JWS."""
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, TypeError):
        raise IdentityFailure("id_token_malformed") from None
    if not isinstance(value, dict):
        raise IdentityFailure("id_token_malformed")
    return value


def verify_id_token(token: str, expected: Expected, keys: KeySource) -> dict[str, Any]:
    """Return the ID token's claims once every check passes; raise IdentityFailure otherwise."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise IdentityFailure("id_token_malformed")
    header = b64_json(token.split(".", 1)[0])
    alg = header.get("alg")
    if alg not in expected.algorithms or alg not in ASYMMETRIC_ALGORITHMS:
        raise IdentityFailure("id_token_alg_not_allowed")
    if "crit" in header or "jku" in header or "jwk" in header or "x5u" in header:
        raise IdentityFailure("id_token_header_not_allowed")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise IdentityFailure("id_token_malformed")
    payload, tried = _verified_payload(token, alg, keys.candidates(kid, alg))
    if payload is None:
        # The provider may have rotated its keys (a new kid, or a new key under the same kid).
        refreshed = keys.refreshed_candidates(kid, alg)
        if refreshed is not None:
            payload, tried_again = _verified_payload(token, alg, refreshed)
            tried = tried or tried_again
    if payload is None:
        raise IdentityFailure("id_token_bad_signature" if tried else "id_token_unknown_kid")
    try:
        claims = json.loads(payload)
    except ValueError:
        raise IdentityFailure("id_token_malformed") from None
    if not isinstance(claims, dict):
        raise IdentityFailure("id_token_malformed")
    check_claims(claims, expected)
    return claims


def _verified_payload(token: str, alg: str, keys: list[Key]) -> tuple[bytes | None, bool]:
    """Return the payload of `token` if one of `keys` signed it, and whether any was tried."""
    for key in keys:
        try:
            return jws.deserialize_compact(token, key, algorithms=[alg]).payload, True
        except (JoseError, ValueError, TypeError):
            continue
    return None, bool(keys)


def check_claims(claims: dict[str, Any], expected: Expected) -> None:
    """Raise IdentityFailure unless the claims are the ones `expected` asks for."""
    if claims.get("iss") != expected.issuer:
        raise IdentityFailure("id_token_wrong_iss")
    aud = claims.get("aud")
    if aud != expected.client_id and aud != [expected.client_id]:
        raise IdentityFailure("id_token_wrong_aud")
    if "azp" in claims and claims["azp"] != expected.client_id:
        raise IdentityFailure("id_token_wrong_azp")
    if not isinstance(claims.get("sub"), str) or not claims["sub"].strip():
        raise IdentityFailure("id_token_missing_sub")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not _is_time(exp):
        raise IdentityFailure("id_token_missing_exp")
    if not _is_time(iat):
        raise IdentityFailure("id_token_missing_iat")
    if expected.now >= exp + LEEWAY:
        raise IdentityFailure("id_token_expired")
    if iat > expected.now + LEEWAY or iat < expected.now - MAX_AGE:
        raise IdentityFailure("id_token_iat_out_of_range")
    if "auth_time" in claims and not _is_time(claims["auth_time"]):
        raise IdentityFailure("id_token_bad_auth_time")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not secrets.compare_digest(nonce, expected.nonce):
        raise IdentityFailure("id_token_wrong_nonce")
    if expected.accepted_acr and claims.get("acr") not in expected.accepted_acr:
        raise IdentityFailure("id_token_acr_too_low")


def _is_time(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
