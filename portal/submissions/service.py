"""Submit a draft: once, in one transaction, with its confirmation email."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.events import seats
from portal.indicators import journey_counts
from portal.models import Draft, Submission
from portal.notify.outbox import enqueue
from portal.procedure.flow import Flow
from portal.procedure.model import Procedure
from portal.submissions.reference import is_reference_number, new_reference_number

Compose = Callable[[Submission], tuple[str, str]]
Record = Callable[[Session, Submission], None]


class WindowClosed(Exception):
    """The procedure does not take applications now."""


class Unfinished(Exception):
    """A page of the journey has not been completed yet."""

    def __init__(self, page_id: str):
        super().__init__(page_id)
        self.page_id = page_id


def existing_submission(session: Session, draft: Draft) -> Submission | None:
    """Return the submission already made from `draft`, if any."""
    return session.scalar(select(Submission).where(Submission.draft_token == draft.token))


def submit(
    session: Session,
    procedure: Procedure,
    draft: Draft,
    *,
    locale: str,
    now: datetime,
    compose: Compose,
    accept_waitlist: bool = False,
    record: Record | None = None,
) -> Submission:
    """Turn `draft` into a submission; submitting the same draft again returns the first one.

    For an event, the seat (or waitlist place, or lottery entry) is taken in the same
    transaction; `events.seats` raises Full, WaitlistOffered or AlreadyApplied otherwise.
    """
    earlier = existing_submission(session, draft)
    if earlier is not None:
        return earlier
    if procedure.window.state(now) != "open":
        raise WindowClosed()
    flow = Flow(procedure, draft.answers)
    unfinished = flow.first_unfinished_page(set(draft.completed_pages))
    if unfinished is not None:
        raise Unfinished(unfinished.id)
    answers = flow.effective_answers()
    email = answers.get(procedure.notify.email_field) if procedure.notify else None
    closes = procedure.window.closes or now
    submission = Submission(
        reference_number=new_reference_number(),
        draft_token=draft.token,
        procedure_id=procedure.id,
        procedure_version=procedure.version,
        answers=answers,
        email=email,
        locale=locale,
        status="received",
        submitted_at=now,
        delete_after=max(closes, now) + timedelta(days=procedure.retention_days),
    )
    session.add(submission)
    session.flush()
    if record is not None:
        record(session, submission)  # identity and signature, in this same transaction
    if procedure.capacity is not None:
        seats.allocate(
            session,
            procedure,
            submission,
            party=seats.party_size(procedure, answers),
            who=email or draft.token,
            accept_waitlist=accept_waitlist,
            now=now,
        )
    draft.submission_id = submission.id
    draft.updated_at = now
    journey_counts.submitted(session, procedure, draft, submission)
    if email:
        subject, body = compose(submission)
        enqueue(
            session,
            recipient=email,
            subject=subject,
            body=body,
            now=now,
            submission_id=submission.id,
        )
    return submission


def find_by_reference(session: Session, reference_number: str, email: str) -> Submission | None:
    """Return the submission with this reference number and email (both must match)."""
    if not is_reference_number(reference_number):
        return None  # nor is the database asked about text it may refuse (NUL on PostgreSQL)
    submission = session.scalar(
        select(Submission).where(Submission.reference_number == reference_number)
    )
    if submission is None or not submission.email:
        return None
    if submission.email.strip().lower() != email.strip().lower():
        return None
    return submission
