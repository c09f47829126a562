"""Signing in: hashed passwords, refusals that do not say which part was wrong, throttling
counted in the database, and the idle timeout."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.staff.models import StaffMember
from portal.staff.throttle import PER_ACCOUNT_AND_ADDRESS
from tests.staff.conftest import PASSWORD, sign_in

TOKYO = ZoneInfo("Asia/Tokyo")


def test_clerk_signs_in_and_sees_only_their_procedures(client, make_staff):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    response = sign_in(client, "Clerk@City.example ")
    assert response.status_code == 302 and response.location.endswith("/staff/")
    html = client.get("/staff/").get_data(as_text=True)
    assert "/staff/procedures/bulky-waste/submissions" in html
    assert "/staff/procedures/public-comment-data-plan/submissions" not in html


def test_password_is_stored_hashed(app, make_staff):
    make_staff("clerk@city.example")
    with app.app_context():
        stored = db.session.scalar(select(StaffMember.password_hash))
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


@pytest.mark.parametrize(
    "email, password",
    [
        ("clerk@city.example", "wrong password!"),
        ("nobody@city.example", PASSWORD),
    ],
)
def test_wrong_email_or_password_gets_the_same_message(client, make_staff, email, password):
    make_staff("clerk@city.example")
    response = sign_in(client, email, password)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The email address or password is not right" in html
    assert 'href="#email"' in html and 'aria-invalid="true"' in html


def test_empty_form_names_each_missing_field(client):
    token = client.csrf_token("/staff/sign-in")
    html = client.post("/staff/sign-in", data={"csrf_token": token}).get_data(as_text=True)
    assert "Enter your email address" in html and "Enter your password" in html


def test_sign_in_without_csrf_token_is_refused(client, make_staff):
    make_staff("clerk@city.example")
    response = client.post(
        "/staff/sign-in", data={"email": "clerk@city.example", "password": PASSWORD}
    )
    assert response.status_code in (200, 400)
    assert client.get("/staff/").status_code == 302


def test_guessing_is_refused_even_with_the_right_password_in_another_process(make_app, make_staff):
    make_staff("clerk@city.example")
    first = make_app().test_client()
    for _ in range(PER_ACCOUNT_AND_ADDRESS.free):
        sign_in(first, "clerk@city.example", "guess guess guess")
    # A second app process on the same database counts the same failures.
    second = make_app().test_client()
    response = sign_in(second, "clerk@city.example")
    assert response.status_code == 429 and "Try again after" in response.get_data(as_text=True)
    assert second.get("/staff/").status_code == 302


def test_throttling_ends_after_the_wait(client, make_staff, clock):
    make_staff("clerk@city.example")
    for _ in range(PER_ACCOUNT_AND_ADDRESS.free + 5):
        sign_in(client, "clerk@city.example", "guess guess guess")
        clock.at += PER_ACCOUNT_AND_ADDRESS.longest
    assert sign_in(client, "clerk@city.example").status_code == 302


def test_inactive_member_is_signed_out_after_the_idle_timeout(client, make_staff, clock):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    sign_in(client, "clerk@city.example")
    clock.at += timedelta(minutes=29)
    assert client.get("/staff/").status_code == 200
    clock.at += timedelta(minutes=29)
    assert client.get("/staff/").status_code == 200, "activity restarts the timer"
    clock.at += timedelta(minutes=31)
    response = client.get("/staff/procedures/bulky-waste/submissions")
    assert response.status_code == 302 and "/staff/sign-in" in response.location
    html = client.get(response.location).get_data(as_text=True)
    assert "inactive for 30 minutes" in html


def test_every_page_says_when_the_idle_sign_out_comes_and_offers_to_extend(
    client, make_staff, clock
):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    sign_in(client, "clerk@city.example")
    page = "/staff/procedures/bulky-waste/submissions?lang=en"
    html = client.get(page).get_data(as_text=True)
    ends = (clock.at + timedelta(minutes=30)).astimezone(TOKYO).strftime("%-I:%M")
    assert f"If you do nothing, you will be signed out at {ends}" in html
    assert 'action="/staff/session/extend"' in html
    assert "Stay signed in for 30 more minutes" in html
    token = client.csrf_token("/staff/")
    clock.at += timedelta(minutes=29)
    response = client.post(
        "/staff/session/extend", data={"csrf_token": token, "next": page.split("?")[0]}
    )
    assert response.status_code == 302 and response.location.endswith(page.split("?")[0])
    clock.at += timedelta(minutes=29)
    assert client.get("/staff/").status_code == 200, "extending restarted the timer"
    assert client.post("/staff/session/extend", data={}).status_code == 400, "CSRF"


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client, make_staff):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    response = client.get("/staff/procedures/bulky-waste/submissions")
    token = client.csrf_token(response.location)
    after = client.post(
        response.location,
        data={"csrf_token": token, "email": "clerk@city.example", "password": PASSWORD},
    )
    assert after.location.endswith("/staff/procedures/bulky-waste/submissions")
    client.post("/staff/sign-out", data={"csrf_token": token})
    token = client.csrf_token("/staff/sign-in")
    evil = client.post(
        "/staff/sign-in?next=//evil.example/staff/",
        data={"csrf_token": token, "email": "clerk@city.example", "password": PASSWORD},
    )
    assert evil.location.endswith("/staff/")
    assert "evil" not in evil.location


def test_deactivated_member_loses_access_at_once(app, client, make_staff):
    member = make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    sign_in(client, "clerk@city.example")
    with app.app_context(), db.transaction() as tx:
        tx.get(StaffMember, member.id).active = False
    assert client.get("/staff/").status_code == 302


def test_sign_out_needs_a_post_with_csrf(client, make_staff):
    make_staff("clerk@city.example")
    sign_in(client, "clerk@city.example")
    assert client.get("/staff/sign-out").status_code == 405
    client.post("/staff/sign-out", data={})
    assert client.get("/staff/").status_code == 200, "no token: still signed in"
    token = client.csrf_token("/staff/")
    client.post("/staff/sign-out", data={"csrf_token": token})
    assert client.get("/staff/").status_code == 302


def test_a_name_longer_than_any_email_address_is_counted_and_slowed_like_any_other(app):
    # on PostgreSQL the failure could not be stored (varchar 254) and the sign-in answered 500
    guesser = app.test_client()
    for _ in range(PER_ACCOUNT_AND_ADDRESS.free):
        assert sign_in(guesser, "x" * 100_000, "guess").status_code == 200
    assert sign_in(guesser, "x" * 100_000, "guess").status_code == 429
