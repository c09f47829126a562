"""Staff accounts and their access to procedures, for administrators."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.form_errors import form_errors
from portal.i18n import plain_text
from portal.staff import guard
from portal.staff.accounts import (
    access_of,
    add_member,
    end_sessions_if_access_changed,
    find_by_email,
    grant,
    grants_of,
    revoke,
    switch_off,
)
from portal.staff.audit import record
from portal.staff.forms import AccountForm, role_field
from portal.staff.models import StaffMember
from portal.staff.views._common import procedures
from portal.staff.views.blueprint import blueprint


def _account_form(member: StaffMember | None, formdata=None) -> AccountForm:
    # One role select per procedure, named role-<procedure id>.
    attrs = {f"role-{p.id}": role_field(plain_text(p.title)) for p in procedures()}
    form_class = type("MemberAccountForm", (AccountForm,), attrs)
    if member is None:
        return form_class(formdata=formdata)
    data = {
        "email": member.email,
        "display_name": member.display_name,
        "is_admin": member.is_admin,
        "active": member.active,
    }
    data |= {f"role-{pid}": role for pid, role in grants_of(db.session, member).items()}
    return form_class(formdata=formdata, data=data)


@blueprint.get("/accounts")
def accounts():
    guard.require_admin()
    members = db.session.scalars(select(StaffMember).order_by(StaffMember.email)).all()
    roles = {member.id: grants_of(db.session, member) for member in members}
    return render_template(
        "staff/accounts.html",
        members=members,
        roles=roles,
        titles={p.id: p.title for p in procedures()},
    )


@blueprint.route("/accounts/new", methods=["GET", "POST"], defaults={"member_id": None})
@blueprint.route("/accounts/<id:member_id>", methods=["GET", "POST"])
def account(member_id: int | None):
    guard.require_admin()
    member = db.session.get(StaffMember, member_id) if member_id is not None else None
    if member_id is not None and member is None:
        abort(404)
    form = _account_form(member, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        taken = find_by_email(db.session, form.email.data)
        if taken is not None and taken is not member:
            form.email.errors.append(_("Another account already uses this email address"))
        elif member is guard.current_member() and not (form.is_admin.data and form.active.data):
            form.is_admin.errors.append(
                _("You cannot take away your own administrator rights or account")
            )
        elif member is None and not form.password.data:
            form.password.errors.append(_("Enter a password for the new account"))
        else:
            saved = _save(member, form)
            flash(_("Saved the account of %(email)s.", email=saved.email), "found")
            return redirect(url_for(".accounts"))
    names = ["email", "display_name", "password", "is_admin", "active"]
    errors = form_errors(form, names)
    heading = (
        _("Change the account of %(name)s", name=member.display_name)
        if member
        else _("Add an account")
    )
    return render_template(
        "staff/account.html",
        form=form,
        member=member,
        errors=errors,
        heading=heading,
        procedures=procedures(),
    )


def _own_session(member: StaffMember) -> str | None:
    """Return this browser's session token when `member` is the one signed in here."""
    return guard.current_session_token() if member is guard.current_member() else None


def _save(member: StaffMember | None, form: AccountForm) -> StaffMember:
    existing = member
    now = clock.now()
    with db.transaction() as tx:
        if member is None:
            member = add_member(
                tx,
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                is_admin=form.is_admin.data,
                now=now,
            )
        else:
            access_before = access_of(tx, member)
            member.email = form.email.data.strip().lower()
            member.display_name = form.display_name.data
            if form.password.data:
                add_member(
                    tx,
                    email=member.email,
                    display_name=member.display_name,
                    password=form.password.data,
                    is_admin=member.is_admin,
                    now=now,
                    keep_session=guard.current_session_token(),
                )
        member.is_admin = form.is_admin.data
        if form.active.data:
            member.active = True
        else:
            switch_off(tx, member)
        roles = {}
        for procedure in procedures():
            role = form[f"role-{procedure.id}"].data
            if role:
                grant(tx, member, procedure.id, role)
            else:
                revoke(tx, member, procedure.id)
            roles[procedure.id] = role or None
        if existing is not None:
            end_sessions_if_access_changed(tx, member, access_before, keep=_own_session(member))
        record(
            tx,
            action="account_change",
            now=now,
            actor=guard.current_member(),
            origin=guard.origin(),
            detail={
                "account": member.email,
                "admin": member.is_admin,
                "active": member.active,
                "roles": roles,
            },
        )
    return member
