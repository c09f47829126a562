"""Electronic signatures over exactly what is submitted."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.identity.models import DraftSignature, SubmissionSignature
from portal.models import Submission
from portal.procedure.model import Procedure


class SignatureRequired(Exception):
    """A procedure that needs a signature was about to be submitted without a current one."""


def record_signature(
    session: Session, procedure: Procedure, submission: Submission, signed: DraftSignature | None
) -> None:
    """Copy the draft's signature onto the submission; refuse when one is required but missing."""
    if procedure.signature != "required":
        return
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
