"""Keys from configuration: a PEM or JWK from the environment, or one derived for development."""

from __future__ import annotations

import hashlib
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc.jwk import ECKey

_P256_ORDER = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)


def derived_ec_key(secret: str, label: str) -> ec.EllipticCurvePrivateKey:
    """Derive a stable P-256 key from the app secret (development and the stub only)."""
    material = HKDF(
        algorithm=hashes.SHA256(), length=48, salt=b"portal-identity", info=label.encode()
    ).derive(secret.encode())
    scalar = int.from_bytes(material, "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def to_jwk(key: ec.EllipticCurvePrivateKey, kid: str | None = None) -> ECKey:
    """Wrap a cryptography key as a JWK with `kid`, or its thumbprint as `kid`."""
    jwk = ECKey.import_key(key)
    return ECKey.import_key(key, {"kid": kid or jwk.thumbprint(), "use": "sig", "alg": "ES256"})


def load_private_key(text: str) -> ECKey:
    """Read an ES256 private key given as PEM or as a JWK (JSON), or a path to a file of either."""
    text = text.strip()
    if not text.startswith(("{", "-----BEGIN")):
        with open(text, encoding="utf-8") as file:
            text = file.read().strip()
    if text.startswith("{"):
        data = json.loads(text)
        key = ECKey.import_key(data)
    else:
        key = ECKey.import_key(text.encode())
    if key.get("crv") != "P-256" or not key.is_private:
        raise ValueError("the client key must be a P-256 private key (ES256)")
    if not key.kid:
        key = with_kid(key, key.thumbprint())
    return key


def with_kid(key: ECKey, kid: str) -> ECKey:
    """Return `key` under the key id `kid` (the one registered with the provider)."""
    return ECKey.import_key(key.as_dict(private=key.is_private), {"kid": kid})


def subject_hash(issuer: str, subject: str) -> str:
    """Return the hash recorded in place of a provider's subject identifier."""
    return hashlib.sha256(f"{issuer}\0{subject}".encode()).hexdigest()
