"""The provider's signing keys rotate: under a new kid, under the same kid, without kids at all.
Sign-in keeps working through each, a withdrawn key stops being trusted, and refetching the
key set is rate-limited."""

from __future__ import annotations

from datetime import timedelta

import httpx2
import pytest

from portal.identity.jwks import REFETCH_INTERVAL
from tests.identity.test_refusals import SIGN_IN, begin
from tests.support.identity import DEFAULT_PERSONA, to_provider_and_back


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


def counting_transport(app) -> list[str]:
    """Route the portal's calls to the provider through a transport that notes each path."""
    fetched: list[str] = []
    inner = httpx2.WSGITransport(app=app)

    class Counting(httpx2.BaseTransport):
        def handle_request(self, request):
            fetched.append(request.url.path)
            return inner.handle_request(request)

    app.config["IDENTITY_HTTP_TRANSPORT"] = Counting()
    return fetched


def signs_in(app) -> bool:
    client = app.test_client()
    begin(client)
    return client.get(to_provider_and_back(client, SIGN_IN, DEFAULT_PERSONA)).status_code == 302


def test_a_new_key_under_the_same_kid_is_fetched_and_sign_in_keeps_working(make_identity_app):
    app = make_identity_app(STUB_IDP_KID="signing")
    fetched = counting_transport(app)
    assert signs_in(app)
    app.config["STUB_IDP_KEY_GENERATION"] = 2
    assert signs_in(app), "a signature failing under the cached key must refetch the key set"
    assert fetched.count("/stub-idp/jwks") == 2
    assert signs_in(app)
    assert fetched.count("/stub-idp/jwks") == 2, "the new key set is cached"


def test_a_key_set_without_kids_rotates_too(make_identity_app):
    app = make_identity_app("no_kid")
    assert signs_in(app)
    app.config["STUB_IDP_KEY_GENERATION"] = 2
    assert signs_in(app)


def test_refetching_after_failures_happens_at_most_once_per_interval(
    make_identity_app, clock, caplog
):
    app = make_identity_app("bad_signature")
    fetched = counting_transport(app)
    for _ in range(3):
        assert not signs_in(app)
    assert fetched.count("/stub-idp/jwks") == 2, "one fetch, then one refetch, then none"
    clock.at += timedelta(seconds=REFETCH_INTERVAL)
    assert not signs_in(app)
    assert fetched.count("/stub-idp/jwks") == 3
    assert "reason=id_token_bad_signature" in caplog.text
