"""Failed sign-ins slow guessing down without letting a stranger lock a member out: failures
count per (account, address), plus a looser limit per address over all accounts."""

from __future__ import annotations

import pytest

from portal.staff.accounts import MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, MAX_FAILURES_PER_ADDRESS
from tests.staff.conftest import sign_in

CLERK = "clerk@city.example"
STRANGER, OFFICE = "203.0.113.9", "10.20.30.40"
TOO_MANY = "too many attempts"


@pytest.fixture
def database_url(sqlite_url):
    """Counting failures is plain SQL the other tests run on both databases."""
    return sqlite_url


def browser_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_stranger_guessing_a_members_password_does_not_lock_the_member_out(app, make_staff):
    make_staff(CLERK)
    stranger = browser_at(app, STRANGER)
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS + 3):
        sign_in(stranger, CLERK, "guess guess guess")
    assert TOO_MANY in sign_in(stranger, CLERK).get_data(as_text=True)
    member = browser_at(app, OFFICE)
    assert sign_in(member, CLERK).status_code == 302
    assert member.get("/staff/").status_code == 200


def test_the_members_sign_in_does_not_reset_the_strangers_count(app, make_staff):
    make_staff(CLERK)
    stranger = browser_at(app, STRANGER)
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        sign_in(stranger, CLERK, "guess guess guess")
    assert sign_in(browser_at(app, OFFICE), CLERK).status_code == 302
    assert TOO_MANY in sign_in(stranger, CLERK).get_data(as_text=True)


def test_one_address_trying_many_accounts_meets_the_looser_address_limit(app, make_staff):
    make_staff(CLERK)
    stranger = browser_at(app, STRANGER)
    for n in range(MAX_FAILURES_PER_ADDRESS):
        sign_in(stranger, f"someone{n}@city.example", "guess guess guess")
    assert TOO_MANY in sign_in(stranger, CLERK).get_data(as_text=True)
    assert sign_in(browser_at(app, OFFICE), CLERK).status_code == 302


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(app, make_staff):
    make_staff(CLERK)
    member = browser_at(app, OFFICE)
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1):
        sign_in(member, CLERK, "guess guess guess")
    assert sign_in(member, CLERK).status_code == 302
