"""Failed sign-ins slow guessing down without letting a stranger lock a member out: failures
count per (account, address), plus a looser count per address over all accounts; each failure
beyond a few free ones doubles the wait, and the page says when to try again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.staff.throttle import PER_ACCOUNT_AND_ADDRESS, PER_ADDRESS, Backoff
from tests.staff.conftest import sign_in

CLERK = "clerk@city.example"
STRANGER, OFFICE = "203.0.113.9", "10.20.30.40"
WRONG = "guess guess guess"
WAIT_PAGE = "Try again after"
FREE = PER_ACCOUNT_AND_ADDRESS.free


@pytest.fixture
def database_url(sqlite_url):
    """Counting failures is plain SQL the other tests run on both databases."""
    return sqlite_url


def browser_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)


@pytest.mark.parametrize(
    "failures, wait",
    [(0, 0), (2, 0), (3, 1), (4, 2), (5, 4), (10, 128), (12, 512), (13, 900), (10**6, 900)],
)
def test_the_wait_doubles_after_the_free_tries_up_to_a_ceiling(failures, wait):
    backoff = Backoff(free=3, first=seconds(1), longest=timedelta(minutes=15), memory=seconds(60))
    assert backoff.wait_after(failures) == seconds(wait)


def test_waiting_is_answered_at_once_with_429_and_when_to_try_again(app, make_staff, clock):
    make_staff(CLERK)
    member = browser_at(app, OFFICE)
    for _ in range(FREE):
        assert sign_in(member, CLERK, WRONG).status_code == 200
    refused = sign_in(member, CLERK)  # the right password, but a wait is owed: not checked
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    html = refused.get_data(as_text=True)
    assert WAIT_PAGE in html and 'href="#email"' in html
    clock.at += seconds(1)
    assert sign_in(member, CLERK).status_code == 302


def test_each_further_failure_doubles_the_wait(app, make_staff, clock):
    make_staff(CLERK)
    stranger = browser_at(app, STRANGER)
    for _ in range(FREE):
        sign_in(stranger, CLERK, WRONG)
    owed = []
    for _ in range(4):
        refused = sign_in(stranger, CLERK, WRONG)
        owed.append(int(refused.headers["Retry-After"]))
        clock.at += seconds(owed[-1])
        assert sign_in(stranger, CLERK, WRONG).status_code == 200, "looked at, and wrong"
    assert owed == [1, 2, 4, 8]


def test_tries_while_waiting_are_not_counted(app, make_staff, clock):
    make_staff(CLERK)
    member = browser_at(app, OFFICE)
    for _ in range(FREE):
        sign_in(member, CLERK, WRONG)
    for _ in range(10):
        assert sign_in(member, CLERK, WRONG).headers["Retry-After"] == "1"
    clock.at += seconds(1)
    assert sign_in(member, CLERK).status_code == 302


def test_a_stranger_guessing_a_members_password_does_not_lock_the_member_out(app, make_staff):
    make_staff(CLERK)
    stranger = browser_at(app, STRANGER)
    for _ in range(FREE + 3):
        sign_in(stranger, CLERK, WRONG)
    assert sign_in(stranger, CLERK).status_code == 429
    member = browser_at(app, OFFICE)
    assert sign_in(member, CLERK).status_code == 302
    assert member.get("/staff/").status_code == 200


def test_the_members_sign_in_does_not_reset_the_strangers_count(app, make_staff):
    make_staff(CLERK)
    stranger = browser_at(app, STRANGER)
    for _ in range(FREE):
        sign_in(stranger, CLERK, WRONG)
    assert sign_in(browser_at(app, OFFICE), CLERK).status_code == 302
    assert sign_in(stranger, CLERK).status_code == 429


def test_one_address_trying_many_accounts_meets_the_looser_address_count(app, make_staff):
    make_staff(CLERK)
    stranger = browser_at(app, STRANGER)
    for n in range(PER_ADDRESS.free):
        assert sign_in(stranger, f"someone{n}@city.example", WRONG).status_code == 200
    assert sign_in(stranger, CLERK).status_code == 429
    assert sign_in(browser_at(app, OFFICE), CLERK).status_code == 302


def test_failures_are_forgotten_after_their_memory(app, make_staff, clock):
    make_staff(CLERK)
    member = browser_at(app, OFFICE)
    for _ in range(FREE + 8):
        sign_in(member, CLERK, WRONG)
        clock.at += timedelta(minutes=15)
    clock.at += PER_ACCOUNT_AND_ADDRESS.memory
    assert sign_in(member, CLERK).status_code == 302


def test_fewer_failures_than_the_free_tries_still_let_the_right_password_in(app, make_staff):
    make_staff(CLERK)
    member = browser_at(app, OFFICE)
    for _ in range(FREE - 1):
        sign_in(member, CLERK, WRONG)
    assert sign_in(member, CLERK).status_code == 302


def test_the_wait_is_said_in_japanese_too(app, make_staff):
    make_staff(CLERK)
    member = browser_at(app, OFFICE)
    member.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ja"
    for _ in range(FREE):
        sign_in(member, CLERK, WRONG)
    html = sign_in(member, CLERK).get_data(as_text=True)
    assert "以降にもう一度" in html
