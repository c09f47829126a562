"""The stub's signature side: a test CA, persona signature certificates, a CRL, signing.

TEST ONLY. Every key here is derived from the app's secret key (HKDF, see keys.py), so nothing
private is stored or committed, and every process of one deployment agrees on the same CA.
Certificates and signatures use deterministic ECDSA (RFC 6979), so they are the same bytes in
every process too.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
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
from portal.identity.models import StubGrant
from portal.identity.stub_idp.config import StubConfig
from portal.identity.stub_idp.personas import Persona, load_personas
from portal.identity.stub_idp.provider import (
    CODE_LIFETIME,
    SecretOutcome,
    card,
    check_secret,
    claim_grant,
)

PASSWORD_TRIES = 5
SIGNATURE_REDIRECT_PATH = "/identity/signature-callback"
CRL_LIFETIME = timedelta(days=1)
_NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)
_NOT_AFTER = datetime(2099, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class SignRequest:
    """A checked sign-transaction request, carried through the signing page."""

    client_id: str
    redirect_uri: str
    state: str
    digest: str

    def fields(self) -> dict[str, str]:
        """Return the request as hidden form fields."""
        return {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "state": self.state,
            "digest": self.digest,
            "digest_algorithm": "sha-256",
        }


class BadSignRequest(Exception):
    """A sign request the stub must not redirect back for (unknown client or URI)."""


def signature_redirect_uris(config: Mapping[str, Any]) -> tuple[str, ...]:
    """Return where the stub may send signatures back to: the portal's own callback."""
    return (config["BASE_URL"].rstrip("/") + SIGNATURE_REDIRECT_PATH,)


def check_sign_request(
    stub: StubConfig, config: Mapping[str, Any], args: dict[str, str]
) -> tuple[SignRequest, str | None]:
    """Return the checked request and an OAuth error code (or None); raise BadSignRequest."""
    client = stub.clients.get(args.get("client_id", ""))
    if client is None or args.get("redirect_uri") not in signature_redirect_uris(config):
        raise BadSignRequest()
    digest = args.get("digest", "")
    request = SignRequest(client.client_id, args["redirect_uri"], args.get("state", ""), digest)
    error = None
    if args.get("response_type") != "code":
        error = "unsupported_response_type"
    elif args.get("digest_algorithm") != "sha-256" or not _is_sha256_hex(digest):
        error = "invalid_request"
    return request, error


def _is_sha256_hex(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


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


def sign_digest(secret: str, persona_id: str, digest: str) -> bytes:
    """Sign a SHA-256 digest with a persona's signature key (DER-encoded ECDSA)."""
    key = _persona_key(secret, persona_id)
    return key.sign(bytes.fromhex(digest), ec.ECDSA(Prehashed(hashes.SHA256()), True))


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def issue_signature_code(
    session: Session, secret: str, request: SignRequest, persona: Persona, now: datetime
) -> str:
    """Sign the request's digest and store it behind a one-time code; return the code."""
    code = secrets.token_urlsafe(32)
    signature = sign_digest(secret, persona.id, request.digest)
    session.add(
        StubGrant(
            code_hash=_hash(code),
            kind="signature",
            client_id=request.client_id,
            redirect_uri=request.redirect_uri,
            persona_id=persona.id,
            scope="",
            digest=request.digest,
            signature=base64.b64encode(signature).decode(),
            auth_time=now,
            expires_at=now + CODE_LIFETIME,
            used=False,
        )
    )
    return code


def redeem_signature_code(
    session: Session,
    stub: StubConfig,
    secret: str,
    client_id: str,
    form: dict[str, str],
    now: datetime,
) -> dict[str, str]:
    """Exchange a signature code for the signature, certificate and the signer's subject."""
    issuer = stub.issuer
    grant = claim_grant(session, "signature", client_id, form, now)
    certificate = persona_certificate(secret, issuer, grant.persona_id)
    return {
        "digest": grant.digest or "",
        "digest_algorithm": "sha-256",
        "sub": stub.subject(client_id, grant.persona_id),
        "signature": grant.signature or "",
        "certificate": base64.b64encode(
            certificate.public_bytes(serialization.Encoding.DER)
        ).decode(),
    }
