"""One resident's journey through one procedure: the procedure, their draft, the flow.

Loaded once per request by `journey_view`; the question and check pages work on it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app, redirect, session, url_for
from sqlalchemy.exc import IntegrityError

from portal import clock
from portal.drafts import find_draft, record_page, set_answer
from portal.events import seats
from portal.extensions import db
from portal.i18n import current_locale
from portal.identity import journey as identity
from portal.models import Draft
from portal.procedure.flow import Flow
from portal.procedure.model import Page, Procedure
from portal.procedure.question import Question
from portal.resident.answer_copy import remember_choice, with_copy
from portal.resident.emails import confirmation_email
from portal.submissions.service import Unfinished, WindowClosed, existing_submission, submit


def procedure_or_404(procedure_id: str) -> Procedure:
    """Return the procedure the portal serves under `procedure_id`, or answer 404."""
    procedure = current_app.extensions["portal.procedures"].get(procedure_id)
    if procedure is None:
        abort(404)
    return procedure


def current_draft(procedure: Procedure) -> Draft | None:
    """Return this browser's draft of `procedure`, if it has one."""
    return find_draft(db.session, session.get("drafts", {}).get(procedure.id), procedure)


def remember_draft(procedure: Procedure, token: str) -> None:
    """Tie a new draft to this browser's session."""
    session.permanent = True
    session["drafts"] = {**session.get("drafts", {}), procedure.id: token}


def _remember_waitlist_accepted(procedure_id: str, accepted: bool) -> None:
    others = [p for p in session.get("waitlist_accepted", []) if p != procedure_id]
    session["waitlist_accepted"] = [*others, procedure_id] if accepted else others


@dataclass
class Journey:
    """A resident's draft of a procedure and the pages and questions that apply to it."""

    procedure: Procedure
    draft: Draft
    #: answers the My Number card gives (shown read-only, never typed)
    card: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def flow(self) -> Flow:
        return Flow(self.procedure, self.draft.answers)

    def url(self, endpoint: str, **values: Any) -> str:
        return url_for(f"resident.{endpoint}", procedure_id=self.procedure.id, **values)

    def typed_fields(self, page: Page) -> list[Question]:
        """Return the questions of `page` the resident answers (the card answers the others)."""
        return [f for f in self.flow.visible_fields(page) if f.id not in self.card]

    def record(self, page: Page, answers: dict[str, Any]) -> None:
        """Store a completed page; what no longer applies on it is removed."""
        stored = self.flow.page_answers(page, answers, keep=set(self.card))
        record_page(self.draft, page.id, stored, clock.now())
        self._changed()

    def store(self, answers: dict[str, Any]) -> None:
        """Store answers without completing their page."""
        for field_id, value in answers.items():
            set_answer(self.draft, field_id, value, clock.now())
        self._changed()

    def after(self, page: Page, returning: bool) -> str:
        """Return where the resident goes once `page` is done."""
        following = None if returning else self.flow.next_page(page)
        if following is None:
            return self.url("check")
        return self.url("question", page_id=following.id)

    def back(self, page: Page, returning: bool) -> str:
        """Return the page before `page`."""
        previous = self.flow.previous_page(page)
        if returning:
            return self.url("check")
        return self.url("question", page_id=previous.id) if previous else self.url("start")

    def submit(self, *, accept_waitlist: bool, copy: bool | None = None) -> SubmitOutcome:
        """Submit the draft once, in one transaction; say where to go or what went wrong.

        A place on the waiting list, once accepted, stays accepted while the resident goes
        to sign the application (the signed application comes back here without the button).
        """
        procedure, draft = self.procedure, self.draft
        accept_waitlist = accept_waitlist or procedure.id in session.get("waitlist_accepted", [])
        copy = remember_choice(procedure, copy)
        try:
            with db.transaction() as tx:
                submit(
                    tx,
                    procedure,
                    draft,
                    locale=current_locale(),
                    now=clock.now(),
                    compose=with_copy(
                        tx,
                        procedure,
                        set(self.card),
                        copy,
                        lambda s: confirmation_email(tx, procedure, s),
                    ),
                    accept_waitlist=accept_waitlist,
                    record=identity.submission_recorder(procedure),
                )
        except IntegrityError:
            # Another request submitted this draft at the same moment: that one stands.
            if existing_submission(db.session, draft) is None:
                raise
        except WindowClosed:
            return SubmitOutcome(problem="closed")
        except identity.IdentityRequired:
            return SubmitOutcome(url_for("identity.sign_in", procedure_id=procedure.id))
        except identity.SignatureRequired:
            if accept_waitlist:
                _remember_waitlist_accepted(procedure.id, True)
            return SubmitOutcome(url_for("identity.sign", procedure_id=procedure.id))
        except seats.WaitlistOffered:
            return SubmitOutcome(problem="seats_gone")
        except seats.Full:
            return SubmitOutcome(problem="full")
        except seats.AlreadyApplied:
            return SubmitOutcome(problem="already_applied")
        except Unfinished as unfinished:
            return SubmitOutcome(self.url("question", page_id=unfinished.page_id))
        _remember_waitlist_accepted(procedure.id, False)
        return SubmitOutcome(self.url("complete"))

    def _changed(self) -> None:
        self.__dict__.pop("flow", None)  # the answers changed: the flow is walked again


@dataclass(frozen=True)
class SubmitOutcome:
    """Where to send the resident after a submit, or the problem to show on the check page."""

    next_url: str | None = None
    problem: str | None = None


def journey_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """Give `view` the journey of its procedure, or send the resident where they belong.

    No draft: to the start page. Already submitted: to the completion page. A strict-ID
    procedure without (or with another) sign-in: to the sign-in.
    """

    @functools.wraps(view)
    def opened(procedure_id: str, **kwargs: Any) -> Any:
        procedure = procedure_or_404(procedure_id)
        draft = current_draft(procedure)
        if draft is None:
            return redirect(url_for("resident.start", procedure_id=procedure.id))
        if draft.submission_id:
            return redirect(url_for("resident.complete", procedure_id=procedure.id))
        gate = identity.guard(procedure, draft)
        if gate is not None:
            return gate
        return view(Journey(procedure, draft, identity.card_answers(procedure)), **kwargs)

    return opened
