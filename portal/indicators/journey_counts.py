"""Where the resident journey is counted: every hook the journey calls, in one place.

Each hook is one call at the point where its event happens; each event is one upsert
(portal.indicators.counting), plus, for what counts once per draft, one insert of a mark.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from portal import clock
from portal.events.models import Allocation
from portal.indicators.counting import Where, count, count_duration, first_time, has_mark
from portal.models import Draft, Submission
from portal.procedure.model import Page, Procedure

if TYPE_CHECKING:
    from portal.resident.journey import Journey

ERROR_MARK = "error"
CHECK_MARK = "check"


def _where(procedure: Procedure, version: int, locale: str, now: datetime | None = None) -> Where:
    return Where.at(procedure.id, version, now or clock.now(), locale, procedure.identity)


def _locale() -> str:
    from portal.i18n import current_locale

    return current_locale()


def draft_started(session: Session, procedure: Procedure, draft: Draft) -> None:
    """Count a new draft (in the transaction that starts it)."""
    count(session, _where(procedure, draft.procedure_version, _locale()), "draft_started")


def question_page_shown(journey: Journey, page: Page, form: Any) -> None:
    """Count the errors the page shows, per question, and the page the first time it is reached."""
    from portal.extensions import db

    questions = {question.id for question in page.fields}
    errors = [name for name, messages in form.errors.items() if messages and name in questions]
    token, mark = journey.draft.token, f"page:{page.id}"
    # a page done before, or seen before, was reached before: a read (or nothing), no write
    reached = page.id in journey.draft.completed_pages or has_mark(db.session, token, mark)
    if reached and not errors:
        return
    where = _where(journey.procedure, journey.draft.procedure_version, _locale())
    with db.transaction() as tx:
        for question_id in sorted(errors):
            count(tx, where, "validation_error", question_id)
        if errors:
            first_time(tx, token, ERROR_MARK)
        # the insert decides, not the read above: two first views at once count once
        if not reached and first_time(tx, token, mark):
            count(tx, where, "page_reached", page.id)


def check_page_shown(journey: Journey) -> None:
    """Count the check-answers page the first time a draft reaches it."""
    from portal.extensions import db

    if has_mark(db.session, journey.draft.token, CHECK_MARK):
        return
    where = _where(journey.procedure, journey.draft.procedure_version, _locale())
    with db.transaction() as tx:
        if first_time(tx, journey.draft.token, CHECK_MARK):
            count(tx, where, "check_reached")


def submitted(session: Session, procedure: Procedure, draft: Draft, submission: Submission) -> None:
    """Count a submission, whether it met no error, its place in a waitlist and its duration."""
    where = _where(
        procedure, submission.procedure_version, submission.locale, submission.submitted_at
    )
    count(session, where, "submitted")
    if not has_mark(session, draft.token, ERROR_MARK):
        count(session, where, "submitted_without_errors")
    if procedure.capacity is not None:
        allocation = session.get(Allocation, submission.id)
        if allocation is not None and allocation.state == "waitlisted":
            count(session, where, "waitlisted")
    count_duration(session, where, (submission.submitted_at - draft.created_at).total_seconds())


def cancelled(
    session: Session, procedure: Procedure, submission: Submission, now: datetime
) -> None:
    """Count an event booking cancelled (in the cancelling transaction)."""
    where = _where(procedure, submission.procedure_version, submission.locale, now)
    count(session, where, "cancelled")
