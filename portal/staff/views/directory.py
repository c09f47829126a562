"""Signing in through the city's staff directory: the button's POST, and the directory's return."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import abort, redirect, request, session, url_for
from flask_babel import gettext as _

from portal import clock
from portal.extensions import db
from portal.identity.adapter import IdentityFailure
from portal.staff import guard
from portal.staff.accounts import DIRECTORY_FAILURE, directory_sign_in
from portal.staff.audit import record
from portal.staff.directory import StaffDirectory, staff_directory
from portal.staff.throttle import address_wait, record_failure
from portal.staff.views.blueprint import blueprint
from portal.web import try_again_at

log = logging.getLogger(__name__)
# Apart from the resident's identity_* keys: a staff sign-in never reads a resident's, nor back.
PENDING_KEY = "staff_directory_pending"
REFUSAL_KEY = "staff_directory_refusal"
#: the id of the directory button, where the error summary leads
ANCHOR = "directory-sign-in"


def _directory() -> StaffDirectory:
    return staff_directory() or abort(404)


def _address() -> str:
    return request.remote_addr or "unknown"


def _refuse(
    reason: str,
    *,
    next_: str | None = None,
    subject: str | None = None,
    count: bool = True,
    wait: timedelta | None = None,
):
    """Send the member back to the sign-in page, which says why; count it and log it."""
    log.warning("staff directory sign-in refused: reason=%s", reason)
    if count:
        with db.transaction() as tx:
            record_failure(tx, email=DIRECTORY_FAILURE, ip_address=_address(), now=clock.now())
    session.pop(PENDING_KEY, None)
    session[REFUSAL_KEY] = {"reason": reason, "subject": subject}
    if wait:
        session[REFUSAL_KEY]["wait"] = wait.total_seconds()
    return redirect(url_for(".sign_in", next=next_ or None))


def _wait() -> timedelta:
    with db.transaction() as tx:
        return address_wait(tx, _address(), clock.now())


def throttled_message(wait: timedelta) -> str:
    """Return what a member told to wait `wait` before trying to sign in again reads."""
    return _(
        "For your security, this can only be tried a few times in a short while. "
        "Try again after %(time)s.",
        time=try_again_at(wait, clock.now()),
    )


@blueprint.post("/sign-in/directory")
def directory_sign_in_start():
    directory = _directory()
    next_ = request.args.get("next")
    if wait := _wait():
        return _refuse("throttled", next_=next_, count=False, wait=wait)
    db.session.close()  # the directory may be this very app (the stub): hold no lock
    try:
        start = directory.start_login()
    except IdentityFailure as failure:
        return _refuse(failure.reason, next_=next_, count=False)
    session[PENDING_KEY] = {**start.pending, "next": next_ or ""}
    return redirect(start.url)


@blueprint.get("/sign-in/directory/callback")
def directory_callback():
    directory = _directory()
    pending = session.pop(PENDING_KEY, None)
    next_ = (pending or {}).get("next")
    if wait := _wait():
        # Refused before the directory is asked anything: replaying callbacks costs it nothing.
        return _refuse("throttled", next_=next_, count=False, wait=wait)
    if pending is None:
        # A bare link (any site can send one): not a guess, and no sign-in of anyone's to end.
        return _refuse("no_sign_in_in_progress", count=False)
    db.session.close()  # the directory may be this very app (the stub): hold no lock
    try:
        login = directory.finish(request.args.to_dict(), pending)
    except IdentityFailure as failure:
        cancelled = failure.reason == "provider_error_access_denied"
        return _refuse(failure.reason, next_=next_, count=not cancelled)
    now = clock.now()
    with db.transaction() as tx:
        found = directory_sign_in(
            tx, issuer=login.issuer, subject=login.subject, ip_address=_address(), now=now
        )
        if found.member is not None:
            detail = {"method": "staff_directory"}
            if found.refusal is not None:
                detail["reason"] = found.refusal
            record(
                tx,
                action="sign_in" if found.refusal is None else "sign_in_refused",
                now=now,
                actor=found.member,
                origin=guard.origin(),
                detail=detail,
            )
    if found.refusal is not None:
        # Counted by directory_sign_in already, against the account where there is one.
        return _refuse(found.refusal, next_=next_, subject=login.subject, count=False)
    guard.start_session(found.member)
    log.info("staff directory sign-in: staff_id=%s", found.member.id)
    return redirect(guard.safe_next(next_))


def refusal_message(refusal: dict | None) -> str | None:
    """Return what the sign-in page says about the last directory sign-in that failed."""
    if not refusal:
        return None
    reason = refusal.get("reason")
    if reason == "throttled":
        return throttled_message(timedelta(seconds=refusal.get("wait") or 0))
    if reason == "unknown_subject":
        return _(
            "Your staff directory account is not linked to a back-office account. Ask a "
            "back-office administrator to link it, and give them your directory ID: %(subject)s",
            subject=refusal.get("subject") or "",
        )
    if reason == "account_disabled":
        return _(
            "Your back-office account has been switched off. Ask a back-office administrator "
            "if you still need it."
        )
    if reason == "provider_error_access_denied":
        return _("You cancelled signing in at the staff directory. Sign in again when ready.")
    return _(
        "Signing in through the staff directory did not work. Try again. If it keeps failing, "
        "contact the IT help desk."
    )


def sign_in_options() -> dict:
    """Return what the sign-in page needs to offer the directory, with any refusal to show."""
    directory = staff_directory()
    message = refusal_message(session.pop(REFUSAL_KEY, None))
    return {
        "directory": directory is not None,
        "directory_error": message if directory is not None else None,
        "directory_anchor": ANCHOR,
    }
