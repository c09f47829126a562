"""Verify a signature over a digest: the signature, the chain to a trust anchor, revocation."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from portal.identity.revocation import CLOCK_SKEW, FetchCRL, RevocationLists

#: DER of DigestInfo (RFC 8017) for SHA-256, up to the 32 bytes of the hash
DIGEST_INFO_SHA256 = bytes.fromhex("3031300d060960864801650304020105000420")

#: Why a signature is not valid, in the order the checks run (`valid` when all pass).
REASONS = (
    "valid",
    "signature_mismatch",
    "not_a_signing_certificate",
    "untrusted_certificate",
    "certificate_not_yet_valid",
    "certificate_expired",
    "certificate_revoked",
    "revocation_unknown",
    "signer_not_signed_in_resident",
)


class MalformedSignature(Exception):
    """The provider sent something that is not a signature and certificate at all."""


@dataclass(frozen=True)
class Verification:
    """A signature, its certificate, and whether it verified (and if not, why)."""

    digest: str
    signature: str  # base64
    certificate_pem: str
    fingerprint: str  # SHA-256 of the certificate's DER, hex
    valid: bool
    reason: str


def load_trust_anchors(text: str) -> tuple[x509.Certificate, ...]:
    """Read one or more PEM CA certificates (the text, or a path to a file holding it)."""
    if "-----BEGIN" not in text:
        with open(text, "rb") as file:
            data = file.read()
    else:
        data = text.encode()
    anchors = tuple(x509.load_pem_x509_certificates(data))
    for anchor in anchors:
        constraints = anchor.extensions.get_extension_for_class(x509.BasicConstraints).value
        if not constraints.ca:
            raise ValueError("a signature trust anchor must be a CA certificate")
    return anchors


def verify(
    digest: str,
    signature_b64: str,
    certificate_b64: str,
    anchors: Sequence[x509.Certificate],
    revocation: RevocationLists | FetchCRL,
    now: datetime,
) -> Verification:
    """Check everything about a signature over `digest`; raise MalformedSignature on garbage.

    `revocation` is the app's kept CRLs, or a function that downloads one (nothing kept)."""
    if not isinstance(revocation, RevocationLists):
        revocation = RevocationLists(revocation)
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        der = base64.b64decode(certificate_b64, validate=True)
        certificate = x509.load_der_x509_certificate(der)
        raw_digest = bytes.fromhex(digest)
    except (binascii.Error, ValueError):
        raise MalformedSignature() from None
    if len(raw_digest) != 32:
        raise MalformedSignature()
    reason = _first_problem(raw_digest, signature, certificate, anchors, revocation, now)
    return Verification(
        digest=digest,
        signature=base64.b64encode(signature).decode(),
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        fingerprint=hashlib.sha256(der).hexdigest(),
        valid=reason == "valid",
        reason=reason,
    )


def _first_problem(
    digest: bytes,
    signature: bytes,
    certificate: x509.Certificate,
    anchors: Sequence[x509.Certificate],
    revocation: RevocationLists,
    now: datetime,
) -> str:
    if not _signature_matches(certificate, digest, signature):
        return "signature_mismatch"
    if not _for_signing(certificate):
        return "not_a_signing_certificate"
    anchor = _issuing_anchor(certificate, anchors, now)
    if anchor is None:
        return "untrusted_certificate"
    if now + CLOCK_SKEW < certificate.not_valid_before_utc:
        return "certificate_not_yet_valid"
    if now > certificate.not_valid_after_utc:
        return "certificate_expired"
    return revocation.status(certificate, anchor, now)


def _signature_matches(certificate: x509.Certificate, digest: bytes, signature: bytes) -> bool:
    key = certificate.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, digest, ec.ECDSA(Prehashed(hashes.SHA256())))
        elif isinstance(key, rsa.RSAPublicKey):  # the card's own certificates are RSA-2048
            # The card pads what it was given (PKCS#1 v1.5): the digest's DigestInfo (a
            # standard RSA signature) or, in the plain form, the 32 bytes of the digest.
            signed = key.recover_data_from_signature(signature, padding.PKCS1v15(), None)
            return signed in (DIGEST_INFO_SHA256 + digest, digest)
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _for_signing(certificate: x509.Certificate) -> bool:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return not constraints.ca and (usage.digital_signature or usage.content_commitment)


def _issuing_anchor(
    certificate: x509.Certificate, anchors: Sequence[x509.Certificate], now: datetime
) -> x509.Certificate | None:
    for anchor in anchors:
        if not anchor.not_valid_before_utc <= now <= anchor.not_valid_after_utc:
            continue
        try:
            certificate.verify_directly_issued_by(anchor)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return anchor
    return None
