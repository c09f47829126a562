"""The stub's signature side: a test CA, persona signature certificates, a CRL, signing.

TEST ONLY. Every key here is derived from the app's secret key (HKDF, see keys.py), so nothing
private is stored or committed, and every process of one deployment agrees on the same CA.
Certificates and signatures use deterministic ECDSA (RFC 6979), so they are the same bytes in
every process too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.x509.oid import NameOID
from sqlalchemy.orm import Session

from portal.identity.keys import derived_ec_key
from portal.identity.models import StubAccessToken, StubSignTransaction
from portal.identity.signature_verification import DIGEST_INFO_SHA256
from portal.identity.stub_idp.personas import Persona, load_personas
from portal.identity.stub_idp.provider import SecretOutcome, card, check_secret

PASSWORD_TRIES = 5
CRL_LIFETIME = timedelta(days=1)
#: how long a sign transaction may wait for the resident's card (assumed: not documented)
TRANSACTION_LIFETIME = timedelta(minutes=10)
_NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)
_NOT_AFTER = datetime(2099, 12, 31, tzinfo=UTC)


class TransactionError(Exception):
    """A sign-transaction request refused with an error code (and its HTTP status)."""

    def __init__(self, error: str, status: int = 400):
        super().__init__(error)
        self.error = error
        self.status = status


def signed_hash(digest_b64: str, digest_info: bool) -> bytes | None:
    """Return the SHA-256 hash a transaction's `digest` carries, or None if it carries none."""
    try:
        raw = base64.b64decode(digest_b64, validate=True)
    except (binascii.Error, ValueError):
        return None
    if digest_info:
        if not raw.startswith(DIGEST_INFO_SHA256):
            return None
        raw = raw.removeprefix(DIGEST_INFO_SHA256)
    return raw if len(raw) == 32 else None


def open_transaction(
    session: Session, client_id: str, body: Any, now: datetime
) -> StubSignTransaction:
    """Open a sign transaction for `body` ({"digest": base64, "digest_info": bool})."""
    if not isinstance(body, dict) or not isinstance(body.get("digest"), str):
        raise TransactionError("invalid_request")
    digest_info = body.get("digest_info", False)
    if not isinstance(digest_info, bool) or signed_hash(body["digest"], digest_info) is None:
        raise TransactionError("invalid_request")
    transaction = StubSignTransaction(
        # Not a UUID: its groups of digits could look like an individual number to the test
        # that scans every table for one.
        id=secrets.token_urlsafe(24),
        client_id=client_id,
        digest=body["digest"],
        digest_info=digest_info,
        created_at=now,
        expires_at=now + TRANSACTION_LIFETIME,
    )
    session.add(transaction)
    return transaction


def open_for(
    session: Session, transaction_id: str, client_id: str, now: datetime
) -> StubSignTransaction:
    """Return the client's unexpired, unsigned transaction; raise TransactionError if none."""
    found = session.get(StubSignTransaction, transaction_id, with_for_update=True)
    if found is None or found.client_id != client_id:
        raise TransactionError("invalid_request")
    if found.expires_at <= now:
        raise TransactionError("sign_transaction_expired")
    if found.persona_id is not None:
        raise TransactionError("invalid_request")
    return found


def sign_transaction(
    secret: str, transaction: StubSignTransaction, persona: Persona
) -> StubSignTransaction:
    """Sign the transaction's hash with the persona's signature key, as their card does."""
    hash_ = signed_hash(transaction.digest, transaction.digest_info)
    assert hash_ is not None  # checked when the transaction was opened
    transaction.persona_id = persona.id
    transaction.signature = base64.b64encode(sign_digest(secret, persona.id, hash_)).decode()
    return transaction


def transaction_result(
    session: Session,
    secret: str,
    issuer: str,
    transaction_id: str,
    token: StubAccessToken,
    now: datetime,
) -> dict[str, Any]:
    """Return the signature and certificate to the resident's access token of the signing."""
    found = session.get(StubSignTransaction, transaction_id)
    if (
        found is None
        or found.client_id != token.client_id
        or "sign" not in token.scope.split()
        or found.persona_id != token.persona_id
        or found.signature is None
    ):
        raise TransactionError("not_found", 404)
    if found.expires_at <= now:
        raise TransactionError("sign_transaction_expired")
    certificate = persona_certificate(secret, issuer, found.persona_id)
    return {
        "sign_transaction_id": found.id,
        "digest": found.digest,
        "digest_info": found.digest_info,
        "signature": found.signature,
        "certificate": base64.b64encode(
            certificate.public_bytes(serialization.Encoding.DER)
        ).decode(),
    }


# -- the test CA and the personas' certificates ----------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Yokohama portal TEST STUB"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


CA_NAME = "Stub JPKI signature CA - TEST ONLY"


@lru_cache(maxsize=8)
def _ca(secret: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = derived_ec_key(secret, "stub-idp-signature-ca")
    name = _name(CA_NAME)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256(), ecdsa_deterministic=True)
    )
    return key, certificate


def _key_usage(*, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def ca_certificate(secret: str) -> x509.Certificate:
    """Return the stub's test CA certificate (the trust anchor the portal uses with the stub)."""
    return _ca(secret)[1]


def serial_number(persona_id: str) -> int:
    """Return the serial number of a persona's signature certificate."""
    return int.from_bytes(hashlib.sha256(f"signature:{persona_id}".encode()).digest()[:16]) | 1


def _persona_key(secret: str, persona_id: str) -> ec.EllipticCurvePrivateKey:
    return derived_ec_key(secret, f"stub-idp-signature-{persona_id}")


@lru_cache(maxsize=64)
def persona_certificate(secret: str, issuer: str, persona_id: str) -> x509.Certificate:
    """Return a persona's signature certificate, issued by the test CA."""
    ca_key, ca = _ca(secret)
    public = _persona_key(secret, persona_id).public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(_name(f"TEST signature certificate {persona_id}"))
        .issuer_name(ca.subject)
        .public_key(public)
        .serial_number(serial_number(persona_id))
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(), critical=True)
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(f"{issuer}/crl")], None, None, None
                    )
                ]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256(), ecdsa_deterministic=True)
    )


def revocation_list(secret: str, now: datetime) -> bytes:
    """Return the test CA's CRL (DER), listing every persona marked `signature_revoked`."""
    ca_key, ca = _ca(secret)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(now - timedelta(minutes=5))
        .next_update(now + CRL_LIFETIME)
    )
    for persona in load_personas().values():
        if persona.signature_revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial_number(persona.id))
                .revocation_date(_NOT_BEFORE)
                .build()
            )
    crl = builder.sign(ca_key, hashes.SHA256(), ecdsa_deterministic=True)
    return crl.public_bytes(serialization.Encoding.DER)


# -- the signature password and signing -------------------------------------------------------

PasswordOutcome = SecretOutcome


def check_password(session: Session, persona: Persona, password: str) -> PasswordOutcome:
    """Check the signature password as the card does: five wrong tries lock it."""
    return check_secret(
        card(session, persona.id), "signature", password, persona.signature_password, PASSWORD_TRIES
    )


def sign_digest(secret: str, persona_id: str, digest: bytes) -> bytes:
    """Sign a SHA-256 digest with a persona's signature key (DER-encoded ECDSA)."""
    key = _persona_key(secret, persona_id)
    return key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256()), True))
