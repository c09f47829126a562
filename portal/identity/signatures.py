"""Electronic signatures over exactly what is submitted: the canonical form, keeping, recording.

The canonical form of an application is the UTF-8 JSON of

    {"answers": {...}, "format": "yokohama-portal/signed-answers/1",
     "procedure": {"id": ..., "version": ...}}

with keys sorted at every level, no whitespace (separators "," and ":"), non-ASCII characters
written as themselves (not \\u escapes) and no NaN or infinities. `answers` is what submit()
stores: the flow's effective answers. Its SHA-256 (hex) is the digest the resident signs.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.identity.models import DraftSignature, SubmissionSignature
from portal.identity.signature_verification import Verification
from portal.models import Submission
from portal.procedure.model import Procedure

FORMAT = "yokohama-portal/signed-answers/1"


class SignatureRequired(Exception):
    """A procedure that needs a signature was about to be submitted without a current one."""


def canonical_form(procedure: Procedure, answers: dict[str, Any]) -> bytes:
    """Return the bytes a resident signs for these answers to this version of `procedure`."""
    document = {
        "answers": answers,
        "format": FORMAT,
        "procedure": {"id": procedure.id, "version": procedure.version},
    }
    text = json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return text.encode("utf-8")


def answers_digest(procedure: Procedure, answers: dict[str, Any]) -> str:
    """Return the SHA-256 (hex) of the canonical form."""
    return hashlib.sha256(canonical_form(procedure, answers)).hexdigest()


def bound_to_signer(
    verification: Verification, signed_in_subject_hash: str, signer_subject_hash: str
) -> Verification:
    """Return `verification`, made not valid when the card that signed is not the card of the
    resident who signed in (their subjects at the provider differ)."""
    if secrets.compare_digest(signed_in_subject_hash, signer_subject_hash):
        return verification
    return replace(verification, valid=False, reason="signer_not_signed_in_resident")


def keep_draft_signature(
    session: Session, draft_token: str, verification: Verification, now: datetime
) -> DraftSignature:
    """Store (or replace) the signature over a draft's answers, with its verification result."""
    found = session.get(DraftSignature, draft_token)
    if found is None:
        found = DraftSignature(draft_token=draft_token)
        session.add(found)
    found.digest = verification.digest
    found.signature = verification.signature
    found.certificate = verification.certificate_pem
    found.certificate_fingerprint = verification.fingerprint
    found.valid = verification.valid
    found.reason = verification.reason
    found.signed_at = now
    return found


def current_signature(
    session: Session, procedure: Procedure, draft_token: str, answers: dict[str, Any]
) -> DraftSignature | None:
    """Return the draft's signature if it covers exactly `answers`; None after any change."""
    signed = session.get(DraftSignature, draft_token)
    if signed is None or signed.digest != answers_digest(procedure, answers):
        return None
    return signed


def record_signature(session: Session, procedure: Procedure, submission: Submission) -> None:
    """Copy the draft's signature onto the submission; refuse when one is required but stale."""
    if procedure.signature != "required":
        return
    signed = current_signature(session, procedure, submission.draft_token, submission.answers)
    if signed is None:
        raise SignatureRequired()
    session.add(
        SubmissionSignature(
            submission_id=submission.id,
            digest=signed.digest,
            signature=signed.signature,
            certificate=signed.certificate,
            certificate_fingerprint=signed.certificate_fingerprint,
            valid=signed.valid,
            reason=signed.reason,
            verified_at=signed.signed_at,
        )
    )


@dataclass(frozen=True)
class SignatureSummary:
    """What staff see of a submission's signature."""

    valid: bool
    reason: str
    certificate_fingerprint: str
    digest: str
    verified_at: datetime


def signature_summary(session: Session, submission_id: int) -> SignatureSummary | None:
    """Return the signature result of a submission, or None when it was not signed."""
    found = session.get(SubmissionSignature, submission_id)
    if found is None:
        return None
    return SignatureSummary(
        valid=found.valid,
        reason=found.reason,
        certificate_fingerprint=found.certificate_fingerprint,
        digest=found.digest,
        verified_at=found.verified_at,
    )
