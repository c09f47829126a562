"""Accounts that sign in through the staff directory: `portal staff add --directory-subject`,
`portal staff link`, the accounts `make run` links to the stub directory, and the settings."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from portal import create_app
from portal.cli import main
from portal.extensions import db
from portal.staff.dev import _link_directory_staff
from portal.staff.models import AuditEvent, StaffMember
from tests.staff.test_directory_sign_in import refusal_page
from tests.support.staff_directory import (
    ADMIN,
    CLERK,
    DISABLED,
    NEWCOMER,
    STUB_DIRECTORY,
    sign_in_through_directory,
)


@pytest.fixture
def portal_command(monkeypatch, database_url):
    """Return a runner of `portal …` against this test's database and stub directory."""
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_SECRET_KEY", "test")
    monkeypatch.setenv("PORTAL_STUB_IDP", "1")
    monkeypatch.setenv("PORTAL_BASE_URL", "http://localhost")

    def run(*args: str):
        return CliRunner().invoke(main, list(args))

    return run


def member(app, email: str) -> StaffMember:
    with app.app_context():
        return db.session.scalar(select(StaffMember).where(StaffMember.email == email))


def test_portal_staff_add_makes_a_directory_only_clerk(app, client, portal_command):
    result = portal_command(
        "staff", "add", "clerk@city.example", "--no-password", "--directory-subject", CLERK,
        "--role", "clerk", "--procedure", "public-comment-data-plan",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"signs in through {STUB_DIRECTORY} as {CLERK}" in result.output
    added = member(app, "clerk@city.example")
    assert added.password_hash is None
    assert (added.oidc_issuer, added.oidc_subject) == (STUB_DIRECTORY, CLERK)
    assert sign_in_through_directory(client, CLERK).location.endswith("/staff/")
    assert "public-comment-data-plan" in client.get("/staff/").get_data(as_text=True)


def test_portal_staff_link_and_unlink(app, client, make_staff, portal_command):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    result = portal_command("staff", "link", "clerk@city.example", CLERK)
    assert result.exit_code == 0, result.output
    assert sign_in_through_directory(client, CLERK).location.endswith("/staff/")
    with app.app_context():
        change = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account_change"))
        assert change.detail["subject"] == CLERK and change.actor == "system"
    result = portal_command("staff", "link", "clerk@city.example", "--unlink")
    assert result.exit_code == 0, result.output
    assert member(app, "clerk@city.example").oidc_subject is None
    other = app.test_client()
    assert "not linked" in refusal_page(other, sign_in_through_directory(other, CLERK))


@pytest.mark.parametrize(
    "args, message",
    [
        (["staff", "link", "nobody@city.example", CLERK], "there is no staff account"),
        (["staff", "link", "clerk@city.example"], "give the directory SUBJECT, or --unlink"),
        (["staff", "link", "second@city.example", CLERK], "already linked to clerk@city.example"),
    ],
)
def test_portal_staff_link_refuses(make_staff, portal_command, args, message):
    make_staff("clerk@city.example")
    make_staff("second@city.example")
    assert portal_command("staff", "link", "clerk@city.example", CLERK).exit_code == 0
    result = portal_command(*args)
    assert result.exit_code != 0 and message in result.output


def test_portal_staff_link_needs_a_directory(make_staff, portal_command, monkeypatch):
    make_staff("clerk@city.example")
    monkeypatch.setenv("PORTAL_STUB_IDP", "0")
    result = portal_command("staff", "link", "clerk@city.example", CLERK)
    assert result.exit_code != 0 and "no staff directory is configured" in result.output
    given = portal_command(
        "staff", "link", "clerk@city.example", CLERK, "--issuer", "https://login.city.example"
    )
    assert given.exit_code == 0, given.output


def test_make_run_links_the_stub_directory_staff(app, client):
    assert _link_directory_staff(app)
    assert sign_in_through_directory(client, CLERK).location.endswith("/staff/")
    html = client.get("/staff/").get_data(as_text=True)
    assert "/staff/procedures/public-comment-data-plan/submissions" in html
    assert "/staff/procedures/bulky-waste/submissions" not in html
    for persona, message in ((DISABLED, "switched off"), (NEWCOMER, "not linked")):
        other = app.test_client()
        assert message in refusal_page(other, sign_in_through_directory(other, persona))
    admin = app.test_client()
    sign_in_through_directory(admin, ADMIN)
    assert admin.get("/staff/accounts").status_code == 200
    assert _link_directory_staff(app), "linking again changes nothing"


def test_make_run_links_nobody_without_the_stub(make_app):
    assert not _link_directory_staff(make_app(STUB_IDP_ENABLED=False))


def test_portal_refuses_to_start_with_a_directory_but_no_client_key(database_url):
    with pytest.raises(RuntimeError, match="PORTAL_STAFF_OIDC_PRIVATE_KEY"):
        create_app(
            {
                "SECRET_KEY": "test",
                "DATABASE_URL": database_url,
                "STAFF_OIDC_ISSUER": "https://login.city.example",
                "STAFF_OIDC_CLIENT_ID": "portal",
            }
        )


def test_the_client_key_may_be_a_file(make_app, tmp_path):
    from joserfc.jwk import ECKey

    key = tmp_path / "staff-rp.pem"
    key.write_bytes(ECKey.generate_key("P-256", private=True).as_pem(private=True))
    app = make_app(
        STUB_IDP_ENABLED=False,
        STAFF_OIDC_ISSUER="https://login.city.example",
        STAFF_OIDC_CLIENT_ID="portal",
        STAFF_OIDC_PRIVATE_KEY=str(key),
    )
    directory = app.extensions["portal.staff_directory"]
    assert directory.relying_party.settings.private_key.is_private
    assert directory.relying_party.settings.redirect_uri == (
        "http://localhost/staff/sign-in/directory/callback"
    )
