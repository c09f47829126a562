"""Checking a signature (digest, chain to the trust anchor, revocation); the canonical form."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.x509.oid import NameOID

from portal.identity.signature_verification import MalformedSignature, verify
from portal.identity.signatures import answers_digest, canonical_form
from portal.procedure.model import Procedure

NOW = datetime(2026, 11, 26, tzinfo=UTC)
DIGEST = "ab" * 32
CRL_URL = "https://ca.test/crl"


def name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def make_ca(label: str = "Test CA"):
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name(label))
        .issuer_name(name(label))
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - timedelta(days=365))
        .not_valid_after(NOW + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def usage(signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        signing, signing, False, False, False, not signing, not signing, False, False
    )


def make_leaf(ca, key, *, days=(-30, 365), serial=42, signing=True, crl=True):
    ca_key, ca_cert = ca
    builder = (
        x509.CertificateBuilder()
        .subject_name(name("signer"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(NOW + timedelta(days=days[0]))
        .not_valid_after(NOW + timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=not signing, path_length=None), critical=True)
        .add_extension(usage(signing), critical=True)
    )
    if crl:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def make_crl(ca, revoked=(), next_update=timedelta(days=1)) -> bytes:
    ca_key, ca_cert = ca
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(NOW - timedelta(hours=1))
        .next_update(NOW + next_update)
    )
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(NOW).build()
        )
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def ec_sign(key, digest: str = DIGEST) -> str:
    return b64(key.sign(bytes.fromhex(digest), ec.ECDSA(Prehashed(hashes.SHA256()))))


def der(certificate: x509.Certificate) -> str:
    return b64(certificate.public_bytes(serialization.Encoding.DER))


def unreachable(url: str) -> bytes:
    raise OSError("no network")


def check(leaf, signature, anchors, crl: bytes | None = None, now=NOW):
    fetch = (lambda url: crl) if crl is not None else unreachable
    return verify(DIGEST, signature, der(leaf), anchors, fetch, now)


CA = make_ca()
OTHER_CA = make_ca("Someone else's CA")
KEY = ec.generate_private_key(ec.SECP256R1())


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("good", "valid"),
        ("other digest signed", "signature_mismatch"),
        ("issued by another CA", "untrusted_certificate"),
        ("a CA certificate", "not_a_signing_certificate"),
        ("expired", "certificate_expired"),
        ("not yet valid", "certificate_not_yet_valid"),
        ("revoked", "certificate_revoked"),
        ("CRL unreachable", "revocation_unknown"),
        ("CRL signed by another CA", "revocation_unknown"),
        ("CRL out of date", "revocation_unknown"),
        ("no CRL named", "revocation_unknown"),
    ],
)
def test_each_problem_is_named(case, reason):
    leaf = make_leaf(CA, KEY)
    signature = ec_sign(KEY)
    crl: bytes | None = make_crl(CA, revoked=[7])
    if case == "other digest signed":
        signature = ec_sign(KEY, "cd" * 32)
    elif case == "issued by another CA":
        leaf = make_leaf(OTHER_CA, KEY)
    elif case == "a CA certificate":
        leaf = make_leaf(CA, KEY, signing=False)
    elif case == "expired":
        leaf = make_leaf(CA, KEY, days=(-400, -1))
    elif case == "not yet valid":
        leaf = make_leaf(CA, KEY, days=(2, 400))
    elif case == "revoked":
        crl = make_crl(CA, revoked=[7, 42])
    elif case == "CRL unreachable":
        crl = None
    elif case == "CRL signed by another CA":
        crl = make_crl((OTHER_CA[0], CA[1]), revoked=[])
    elif case == "CRL out of date":
        crl = make_crl(CA, next_update=timedelta(minutes=-10))
    elif case == "no CRL named":
        leaf = make_leaf(CA, KEY, crl=False)
    result = check(leaf, signature, [CA[1]], crl)
    assert (result.valid, result.reason) == (reason == "valid", reason)
    assert len(result.fingerprint) == 64


def test_an_rsa_signature_like_the_cards_own_verifies():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signed = key.sign(bytes.fromhex(DIGEST), padding.PKCS1v15(), Prehashed(hashes.SHA256()))
    result = check(make_leaf(CA, key), b64(signed), [CA[1]], make_crl(CA))
    assert result.reason == "valid"


def test_several_trust_anchors_can_be_configured():
    result = check(make_leaf(CA, KEY), ec_sign(KEY), [OTHER_CA[1], CA[1]], make_crl(CA))
    assert result.reason == "valid"


@pytest.mark.parametrize(
    ("signature", "certificate"), [("not base64!", None), (b64(b"x"), b64(b"not a certificate"))]
)
def test_garbage_from_the_provider_is_refused(signature, certificate):
    with pytest.raises(MalformedSignature):
        verify(DIGEST, signature, certificate or der(make_leaf(CA, KEY)), [CA[1]], unreachable, NOW)


def procedure(version: int = 1) -> Procedure:
    return Procedure.model_validate(
        {
            "id": "p",
            "version": version,
            "category": "c",
            "title": "t",
            "summary": "s",
            "contact": {"department": "d"},
            "identity": "mynumber",
            "signature": "required",
            "pages": [
                {"id": "a", "title": "a", "fields": [{"id": "n", "type": "text", "label": "x"}]}
            ],
        }
    )


def test_canonical_form_is_sorted_compact_utf8_json_with_the_procedure_and_version():
    form = canonical_form(procedure(), {"z": 2, "name": "港 花子", "a": ["x", "y"]})
    assert (
        form
        == (
            '{"answers":{"a":["x","y"],"name":"港 花子","z":2},'
            '"format":"yokohama-portal/signed-answers/1","procedure":{"id":"p","version":1}}'
        ).encode()
    )


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (({"b": "1", "a": "2"}, 1), True),  # key order does not matter
        (({"a": "2", "b": "1 "}, 1), False),  # any change to an answer does
        (({"a": "2", "b": "1", "c": None}, 1), False),
        (({"a": "2", "b": "1"}, 2), False),  # neither does a new version of the procedure
    ],
)
def test_digest_changes_exactly_when_what_is_submitted_changes(other, same):
    answers, version = other
    first = answers_digest(procedure(), {"a": "2", "b": "1"})
    assert (answers_digest(procedure(version), answers) == first) is same
