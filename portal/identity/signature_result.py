"""The sign transaction's result as the provider sends it: a JWE encrypted to the relying party.

The body of `GET <sign transactions endpoint>/<id>/result` is one JWE in compact serialization
(five base64url parts joined by dots; `Content-Type: application/jose`), encrypted to the
public key the portal registered for encryption. Its plaintext is the JSON result:
`{"signature": …, "certificate": …, "digest": …}`. A plain JSON result is never accepted: the
signature and certificate travel encrypted or not at all. The algorithms are assumed (README).
"""

from __future__ import annotations

import json
from typing import Any

from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from portal.identity.adapter import IdentityFailure
from portal.identity.id_token import b64_json

#: key management (`alg`) accepted: RSA-OAEP with SHA-1 or SHA-256; never `dir`, never RSA1_5
KEY_ALGORITHMS = frozenset({"RSA-OAEP", "RSA-OAEP-256"})
#: content encryption (`enc`) accepted
CONTENT_ALGORITHMS = frozenset({"A256GCM"})
MEDIA_TYPE = "application/jose"


class UnreadableResult(Exception):
    """The result is no JWE the portal accepts, or it does not decrypt; `reason` is logged."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def decrypt_result(body: str, key: RSAKey) -> dict[str, Any]:
    """Return the JSON result a compact JWE carries, decrypted with the portal's `key`."""
    token = body.strip()
    parts = token.split(".")
    if len(parts) != 5 or not parts[0]:
        raise UnreadableResult("signature_result_not_jwe")
    try:
        header = b64_json(parts[0])
    except IdentityFailure:
        raise UnreadableResult("signature_result_not_jwe") from None
    alg, enc = str(header.get("alg")), str(header.get("enc"))
    if alg not in KEY_ALGORITHMS or enc not in CONTENT_ALGORITHMS or {"zip", "crit"} & set(header):
        raise UnreadableResult("signature_result_algorithm_refused")
    try:
        plaintext = jwe.decrypt_compact(
            token, key, algorithms=[*KEY_ALGORITHMS, *CONTENT_ALGORITHMS]
        ).plaintext
        result = json.loads(plaintext or b"")
    except (JoseError, ValueError):
        raise UnreadableResult("signature_result_undecryptable") from None
    if not isinstance(result, dict):
        raise UnreadableResult("signature_result_undecryptable")
    return result


def encrypt_result(result: dict[str, Any], key: RSAKey) -> str:
    """Return `result` as a compact JWE to `key` (RSA-OAEP-256, A256GCM), as the provider does."""
    header = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": key.kid}
    plaintext = json.dumps(result, separators=(",", ":")).encode()
    return jwe.encrypt_compact(header, plaintext, key, algorithms=["RSA-OAEP-256", "A256GCM"])
