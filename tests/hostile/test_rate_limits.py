"""Rate limits on lookups and sign-ins: after its limit an address gets 429 and a page in its
language saying when to try again; other addresses are unaffected; Redis shares the counts."""

from __future__ import annotations

import os
import uuid

import pytest
from limits import parse_many

from portal.config import VARIABLES
from portal.rate_limits import group_of, public_posts
from tests.support.html_invariants import problems_in

LOOKUPS = ["/status", "/cancel"]
GUESS = {"reference_number": "YKH-2222-3333", "email": "someone@example.jp"}
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


def per_minute(endpoint: str) -> int:
    """Return how many POSTs a minute the endpoint's group lets one address make, by default."""
    variable = f"PORTAL_RATE_LIMIT_{group_of(endpoint).upper()}"
    [default] = [v.default for v in VARIABLES if v.name == variable]
    [minute] = [item for item in parse_many(default) if item.GRANULARITY.name == "minute"]
    return minute.amount


def browser_at(app, address: str, language: str = "ja"):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    return client


def guess(client, path: str):
    return client.post(path, data={"csrf_token": client.csrf_token(path), **GUESS})


def assert_too_many(response, says: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert not problems_in(html), problems_in(html)
    assert says in html
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.parametrize("path", LOOKUPS)
def test_a_lookup_answers_429_in_japanese_after_its_limit_and_only_for_that_address(app, path):
    endpoint = f"resident.{path.strip('/')}"
    guesser = browser_at(app, "203.0.113.7")
    for _ in range(per_minute(endpoint)):
        assert guess(guesser, path).status_code == 200
    assert_too_many(guess(guesser, path), "試行回数が多すぎます")
    assert guess(browser_at(app, "198.51.100.1"), path).status_code == 200


def test_the_429_page_is_in_the_residents_language(app):
    guesser = browser_at(app, "203.0.113.7", language="en")
    for _ in range(per_minute("resident.status")):
        guess(guesser, "/status")
    assert_too_many(guess(guesser, "/status"), "Too many attempts")


def test_staff_sign_in_is_rate_limited_per_address(app):
    guesser = browser_at(app, "203.0.113.7", language="en")
    token = guesser.csrf_token("/staff/sign-in")
    # No password: the form is refused before the sign-in throttle counts anything.
    data = {"csrf_token": token, "email": "clerk@city.example"}
    for _ in range(per_minute("staff.sign_in")):
        assert guesser.post("/staff/sign-in", data=data).status_code == 200
    assert_too_many(guesser.post("/staff/sign-in", data=data), "Too many attempts")


def test_looking_at_the_lookup_page_is_not_counted(app):
    reader = browser_at(app, "203.0.113.7")
    for _ in range(per_minute("resident.status") + 1):
        assert reader.get("/status").status_code == 200


@pytest.fixture
def redis_storage():
    """Yield the Redis URL with a key prefix of this test's own; its keys are deleted after."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis does not answer at {REDIS_URL}"
        if os.environ.get("PORTAL_REQUIRE_REDIS") == "1":
            pytest.fail(message + " and PORTAL_REQUIRE_REDIS=1")
        pytest.skip(message)
    prefix = f"portal-test-{uuid.uuid4().hex[:12]}"
    yield REDIS_URL, prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    connection.close()


def test_two_app_processes_on_redis_share_one_count(make_app, redis_storage):
    url, prefix = redis_storage
    shared = {"RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": prefix}
    first = browser_at(make_app(**shared), "203.0.113.7")
    second = browser_at(make_app(**shared), "203.0.113.7")
    limit = per_minute("resident.status")
    for n in range(limit):
        assert guess(first if n % 2 else second, "/status").status_code == 200
    assert_too_many(guess(first, "/status"), "試行回数が多すぎます")
    assert_too_many(guess(second, "/status"), "試行回数が多すぎます")


def test_apps_with_memory_storage_count_apart(make_app):
    first = browser_at(make_app(), "203.0.113.7")
    second = browser_at(make_app(), "203.0.113.7")
    for _ in range(per_minute("resident.status")):
        guess(first, "/status")
    assert guess(first, "/status").status_code == 429
    assert guess(second, "/status").status_code == 200


def test_rate_limits_can_be_switched_off_for_the_browser_audit(make_app):
    guesser = browser_at(make_app(RATELIMIT_ENABLED=False), "127.0.0.1")
    for _ in range(per_minute("resident.status") + 1):
        assert guess(guesser, "/status").status_code == 200


TIGHT = {"lookups": "2 per minute", "sign_in": "2 per minute", "forms": "2 per minute"}


def test_every_post_anyone_can_send_is_limited_and_staff_forms_are_not(app):
    public = public_posts(app)
    assert {"resident.question", "resident.begin", "resident.check", "identity.extend"} <= set(
        public
    )
    assert "staff.sign_in" in public and "staff.submission_status" not in public
    assert not any(endpoint.startswith(("stub_idp.", "stub_directory.")) for endpoint in public)


def test_each_public_post_answers_429_after_its_groups_limit(make_app):
    limited = make_app(RATE_LIMITS=TIGHT)
    # read from the routes, so a new form is tried too; each from an address of its own
    for n, endpoint in enumerate(public_posts(limited)):
        [rule] = [r for r in limited.url_map.iter_rules() if r.endpoint == endpoint]
        path = rule.build({argument: "x" for argument in rule.arguments})[1]
        guesser = browser_at(limited, f"203.0.113.{n + 1}", language="en")
        token = guesser.csrf_token("/status")
        for _ in range(2):
            assert guesser.post(path, data={"csrf_token": token}).status_code != 429, path
        assert_too_many(guesser.post(path, data={"csrf_token": token}), "Too many attempts")


def test_the_two_lookups_share_one_count(make_app):
    guesser = browser_at(make_app(RATE_LIMITS=TIGHT), "203.0.113.7")
    assert guess(guesser, "/status").status_code == 200
    assert guess(guesser, "/cancel").status_code == 200
    assert_too_many(guess(guesser, "/status"), "試行回数が多すぎます")


def test_an_empty_limit_switches_its_group_off(make_app):
    guesser = browser_at(make_app(RATE_LIMITS={**TIGHT, "lookups": ""}), "203.0.113.7")
    for _ in range(5):
        assert guess(guesser, "/status").status_code == 200
