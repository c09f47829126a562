"""Who is signed in to the back office: the session, the idle timeout, the permission checks."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from portal import clock
from portal.extensions import db
from portal.staff import sessions
from portal.staff.accounts import permissions_of
from portal.staff.audit import Origin
from portal.staff.models import StaffMember
from portal.staff.permissions import Capability, Permissions
from portal.staff.views.blueprint import blueprint

# Pages anyone may open: signing in (with a password or through the staff directory).
PUBLIC_ENDPOINTS = frozenset(
    {
        "staff.sign_in",
        "staff.directory_sign_in_start",
        "staff.directory_callback",
    }
)


SESSION_KEY = "staff_session"


def idle_timeout() -> timedelta:
    """Return how long a member may be inactive before being signed out."""
    return timedelta(minutes=int(current_app.config["STAFF_IDLE_MINUTES"]))


def start_session(member: StaffMember) -> None:
    """Sign `member` in: a fresh session, kept in the database, keeping only the language."""
    language = session.get("lang")
    end_session()  # a browser signing in again leaves no earlier session of its own behind
    session.clear()
    if language:
        session["lang"] = language
    with db.transaction() as tx:
        token = sessions.open_session(tx, member, clock.now())
    session.permanent = True
    session[SESSION_KEY] = token
    session["staff_seen"] = clock.now().timestamp()


def end_session() -> None:
    """Sign the member out: this browser's session ends in the database too."""
    token = session.pop(SESSION_KEY, None)
    session.pop("staff_seen", None)
    if token is not None:
        with db.transaction() as tx:
            sessions.close_session(tx, token)


def current_session_token() -> str | None:
    """Return this browser's staff session token (to keep it when ending the others)."""
    return session.get(SESSION_KEY)


def origin() -> Origin:
    """Return where this request comes from, for the audit trail."""
    return Origin(ip_address=request.remote_addr, user_agent=request.user_agent.string or None)


def current_member() -> StaffMember:
    """Return the signed-in member (views behind the guard only)."""
    return g.staff


def permissions() -> Permissions:
    """Return what the signed-in member may do."""
    return g.staff_permissions


def require(capability: Capability, procedure_id: str) -> None:
    """Refuse the request (403) unless the member may do `capability` on `procedure_id`."""
    if not permissions().may(capability, procedure_id):
        abort(403)


def require_admin() -> None:
    """Refuse the request (403) unless the member is an administrator."""
    if not permissions().is_admin:
        abort(403)


def safe_next(target: str | None) -> str:
    """Return `target` if it is a back-office path on this site, else the dashboard."""
    if target and target.startswith("/staff/") and not target.startswith("//"):
        return target
    return url_for("staff.dashboard")


@blueprint.before_request
def _require_sign_in():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    member = _signed_in_member()
    if member is None:
        return redirect(url_for("staff.sign_in", next=request.full_path.rstrip("?")))
    g.staff = member
    g.staff_permissions = permissions_of(db.session, member)
    return None


def _signed_in_member() -> StaffMember | None:
    token, seen = session.get(SESSION_KEY), session.get("staff_seen")
    if token is None or not isinstance(seen, int | float):
        return None
    now = clock.now()
    if now - datetime.fromtimestamp(seen, now.tzinfo) > idle_timeout():
        end_session()
        minutes = int(idle_timeout().total_seconds() // 60)
        flash(
            _(
                "You were signed out because you were inactive for %(minutes)d minutes. "
                "Sign in again.",
                minutes=minutes,
            ),
            "warning",
        )
        return None
    member = sessions.member_of(db.session, token, now)
    if member is None:  # signed out elsewhere, password changed or account switched off
        end_session()
        return None
    session["staff_seen"] = now.timestamp()
    return member


def session_ends_at() -> datetime | None:
    """Return when the signed-in member is signed out if they do nothing more (None: nobody)."""
    seen = session.get("staff_seen")
    if g.get("staff") is None or seen is None:
        return None
    now = clock.now()
    return datetime.fromtimestamp(seen, now.tzinfo) + idle_timeout()


@blueprint.context_processor
def _staff_context() -> dict:
    from portal.submissions.status import STATUS_LABELS

    return {
        "staff_session_ends": session_ends_at(),
        "staff_idle_minutes": int(idle_timeout().total_seconds() // 60),
        "staff_member": g.get("staff"),
        "staff_permissions": g.get("staff_permissions"),
        "status_labels": STATUS_LABELS,
    }


@blueprint.errorhandler(403)
def _forbidden(_error):
    from flask import render_template

    return render_template("staff/forbidden.html"), 403
