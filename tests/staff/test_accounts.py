"""Administrators manage staff accounts and their access per procedure; `portal staff add`."""

from __future__ import annotations

import re

from click.testing import CliRunner
from sqlalchemy import select

from portal.cli import main
from portal.extensions import db
from portal.staff.accounts import grants_of
from portal.staff.models import AuditEvent, StaffMember
from tests.staff.conftest import csrf, sign_in


def test_administrator_adds_a_clerk_for_one_procedure(app, client, make_staff):
    make_staff("admin@city.example", admin=True)
    sign_in(client, "admin@city.example")
    response = client.post(
        "/staff/accounts/new",
        data={
            "csrf_token": csrf(client, "/staff/accounts/new"),
            "email": "New.Clerk@city.example",
            "display_name": "新 職員",
            "password": "a long enough password",
            "active": "y",
            "role-bulky-waste": "clerk",
            "role-citizen-lecture": "viewer",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        member = db.session.scalar(
            select(StaffMember).where(StaffMember.email == "new.clerk@city.example")
        )
        assert grants_of(db.session, member) == {
            "bulky-waste": "clerk",
            "citizen-lecture": "viewer",
        }
        assert (
            db.session.scalar(
                select(AuditEvent).where(AuditEvent.action == "account_change")
            ).detail["account"]
            == member.email
        )
    assert "新 職員" in client.get("/staff/accounts").get_data(as_text=True)
    newcomer = app.test_client()
    assert sign_in(newcomer, "new.clerk@city.example", "a long enough password").status_code == 302


def test_account_form_explains_each_mistake(client, make_staff):
    make_staff("admin@city.example", admin=True)
    sign_in(client, "admin@city.example")
    html = client.post(
        "/staff/accounts/new",
        data={
            "csrf_token": csrf(client, "/staff/accounts/new"),
            "email": "admin@city.example",
            "display_name": "",
            "password": "short",
        },
    ).get_data(as_text=True)
    assert 'href="#display_name"' in html and "Enter the name" in html
    assert 'href="#password"' in html and "at least 12 characters" in html


def test_administrator_cannot_lock_themselves_out(app, client, make_staff):
    admin = make_staff("admin@city.example", admin=True)
    sign_in(client, "admin@city.example")
    path = f"/staff/accounts/{admin.id}"
    html = client.post(
        path,
        data={
            "csrf_token": csrf(client, path),
            "email": "admin@city.example",
            "display_name": "admin",
            "active": "y",
        },
    ).get_data(as_text=True)
    assert "cannot take away your own" in html
    with app.app_context():
        assert db.session.get(StaffMember, admin.id).is_admin


def test_portal_staff_add_creates_a_clerk_of_a_procedure(app, monkeypatch, database_url):
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_SECRET_KEY", "test")
    result = CliRunner().invoke(
        main,
        [
            "staff",
            "add",
            "cli@city.example",
            "--name",
            "CLI",
            "--role",
            "clerk",
            "--procedure",
            "bulky-waste",
            "--password",
            "a long enough password",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "clerk of bulky-waste" in result.output
    with app.app_context():
        member = db.session.scalar(
            select(StaffMember).where(StaffMember.email == "cli@city.example")
        )
        assert grants_of(db.session, member) == {"bulky-waste": "clerk"}


def test_portal_staff_add_refuses_an_unknown_procedure(monkeypatch, database_url, app):
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_SECRET_KEY", "test")
    result = CliRunner().invoke(
        main,
        [
            "staff",
            "add",
            "x@city.example",
            "--role",
            "clerk",
            "--procedure",
            "no-such-thing",
            "--no-password",
        ],
    )
    assert result.exit_code != 0 and re.search("no procedure is served", result.output)
