"""A saved back-office cookie opens nothing once its session has ended: after signing out,
signing in again, a new password, a change of role or the account being switched off (SQLite
and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.staff.models import StaffSession
from tests.staff.conftest import csrf, sign_in

ADMIN, CLERK = "admin@city.example", "clerk@city.example"
NEW_PASSWORD = "another long enough password"


def saved_cookie(client) -> str:
    return client.get_cookie("portal_session").value


def cookie_of_a_browser_signed_in_as(app, email: str) -> str:
    """Sign `email` in from a browser of their own; return the session cookie it was given."""
    browser = app.test_client()
    sign_in(browser, email)
    return saved_cookie(browser)


def opens_accounts(app, cookie: str) -> bool:
    """Tell whether a fresh browser holding `cookie` may open the accounts page."""
    replay = app.test_client()
    replay.set_cookie("portal_session", cookie)
    response = replay.get("/staff/accounts")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def account_form(client, member_id: int, **changes) -> dict:
    data = {
        "csrf_token": csrf(client, f"/staff/accounts/{member_id}"),
        "email": CLERK,
        "display_name": "clerk",
        "is_admin": "y",
        "active": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_cookie_saved_before_signing_out_is_refused_afterwards(app, client, make_staff):
    make_staff(ADMIN, admin=True)
    sign_in(client, ADMIN)
    cookie = saved_cookie(client)
    assert opens_accounts(app, cookie)
    client.post("/staff/sign-out", data={"csrf_token": csrf(client)})
    assert not opens_accounts(app, cookie)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffSession)) == 0


def test_signing_in_again_ends_the_browsers_earlier_session(app, client, make_staff):
    make_staff(ADMIN, admin=True)
    sign_in(client, ADMIN)
    before = saved_cookie(client)
    sign_in(client, ADMIN)
    assert opens_accounts(app, saved_cookie(client))
    assert not opens_accounts(app, before)


def test_a_new_password_ends_every_session_of_the_member(app, client, make_staff):
    make_staff(ADMIN, admin=True)
    clerk = make_staff(CLERK, admin=True)
    clerks_cookie = cookie_of_a_browser_signed_in_as(app, CLERK)
    sign_in(client, ADMIN)
    response = client.post(
        f"/staff/accounts/{clerk.id}", data=account_form(client, clerk.id, password=NEW_PASSWORD)
    )
    assert response.status_code == 302
    assert not opens_accounts(app, clerks_cookie)
    assert opens_accounts(app, saved_cookie(client))
    assert sign_in(app.test_client(), CLERK, NEW_PASSWORD).status_code == 302


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(app, client, make_staff):
    admin = make_staff(ADMIN, admin=True)
    elsewhere = app.test_client()
    sign_in(elsewhere, ADMIN)
    sign_in(client, ADMIN)
    data = account_form(client, admin.id, email=ADMIN, display_name="admin", password=NEW_PASSWORD)
    assert client.post(f"/staff/accounts/{admin.id}", data=data).status_code == 302
    assert opens_accounts(app, saved_cookie(client))
    assert not opens_accounts(app, saved_cookie(elsewhere))


def test_switching_an_account_off_ends_its_sessions(app, client, make_staff):
    make_staff(ADMIN, admin=True)
    clerk = make_staff(CLERK, admin=True)
    clerks_cookie = cookie_of_a_browser_signed_in_as(app, CLERK)
    sign_in(client, ADMIN)
    response = client.post(
        f"/staff/accounts/{clerk.id}", data=account_form(client, clerk.id, active=None)
    )
    assert response.status_code == 302
    assert not opens_accounts(app, clerks_cookie)
    with app.app_context():
        left = (
            select(func.count()).select_from(StaffSession).where(StaffSession.staff_id == clerk.id)
        )
        assert db.session.scalar(left) == 0


def test_a_change_of_role_ends_the_members_sessions_and_an_unchanged_save_does_not(
    app, client, make_staff
):
    make_staff(ADMIN, admin=True)
    clerk = make_staff(CLERK, admin=True)
    clerks_cookie = cookie_of_a_browser_signed_in_as(app, CLERK)
    sign_in(client, ADMIN)
    unchanged = account_form(client, clerk.id)
    assert client.post(f"/staff/accounts/{clerk.id}", data=unchanged).status_code == 302
    assert opens_accounts(app, clerks_cookie)
    promoted = account_form(client, clerk.id, **{"role-bulky-waste": "clerk"})
    assert client.post(f"/staff/accounts/{clerk.id}", data=promoted).status_code == 302
    assert not opens_accounts(app, clerks_cookie)
