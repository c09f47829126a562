"""Signing in and out, and the dashboard of the member's procedures."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import clock
from portal.extensions import db
from portal.form_errors import form_errors
from portal.staff import guard
from portal.staff.accounts import sign_in as check_sign_in
from portal.staff.audit import record
from portal.staff.directory import staff_directory
from portal.staff.forms import ActionForm, SignInForm
from portal.staff.queries import status_counts
from portal.staff.views._common import procedures
from portal.staff.views.blueprint import blueprint
from portal.staff.views.directory import sign_in_options, throttled_message
from portal.web import allow_form_action


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    wait = timedelta(0)
    if form.validate_on_submit():
        with db.transaction() as tx:
            result = check_sign_in(
                tx,
                email=form.email.data,
                password=form.password.data,
                ip_address=request.remote_addr or "unknown",
                now=clock.now(),
            )
            if result.member is not None:
                record(
                    tx,
                    action="sign_in",
                    now=clock.now(),
                    actor=result.member,
                    origin=guard.origin(),
                    detail={"method": "password"},
                )
        if result.member is not None:
            guard.start_session(result.member)
            return redirect(guard.safe_next(request.args.get("next")))
        wait = result.wait
        if wait:
            form.email.errors.append(throttled_message(wait))
        else:
            form.email.errors.append(
                _("The email address or password is not right. Check both and try again.")
            )
    options = sign_in_options()
    errors = form_errors(form, ["email", "password"])
    if options["directory_error"]:
        errors.insert(0, (options["directory_anchor"], options["directory_error"]))
    response = make_response(
        render_template(
            "staff/sign_in.html",
            form=form,
            errors=errors,
            idle_minutes=_idle_minutes(),
            next=request.args.get("next"),
            **options,
        )
    )
    directory = staff_directory()
    if directory is not None:
        # Chrome applies form-action to where a form's redirect leads: allow the directory.
        allow_form_action(response, directory.form_origins())
    if wait:
        response.status_code = 429
        response.headers["Retry-After"] = str(math.ceil(wait.total_seconds()))
    return response


def _idle_minutes() -> int:
    return int(guard.idle_timeout().total_seconds() // 60)


@blueprint.post("/sign-out")
def sign_out():
    if ActionForm().validate_on_submit():
        with db.transaction() as tx:
            record(
                tx,
                action="sign_out",
                now=clock.now(),
                actor=guard.current_member(),
                origin=guard.origin(),
            )
        guard.end_session()
        flash(_("You have signed out."), "found")
    return redirect(url_for(".sign_in"))


@blueprint.post("/session/extend")
def extend_session():
    # Signed in, this request has already restarted the idle timeout (guard._signed_in_member).
    if not ActionForm().validate_on_submit():
        abort(400)
    return redirect(guard.safe_next(request.form.get("next")))


@blueprint.get("/")
def dashboard():
    visible = [p for p in procedures() if guard.permissions().may("view", p.id)]
    counts = status_counts(db.session, [p.id for p in visible])
    return render_template("staff/dashboard.html", procedures=visible, counts=counts)
