"""A bare link to the identity callback (any site can send one) changes nothing: a resident
signed in with their card stays signed in, and is told plainly that nothing happened."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.identity.test_refusals import PROCEDURE, SIGN_IN, begin
from tests.support.html_invariants import problems_in
from tests.support.identity import sign_in_with_card

GATED = f"/procedures/{PROCEDURE}/applicant"


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


@pytest.mark.parametrize("query", ["", "?code=abc&state=xyz", "?error=access_denied"])
def test_a_bare_callback_link_leaves_a_card_sign_in_as_it_was(client, query):
    begin(client)
    sign_in_with_card(client, GATED)
    assert client.get(GATED).status_code == 200
    response = client.get(f"/identity/callback{query}", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert not problems_in(html), problems_in(html)
    assert "There is no sign-in to finish" in html and "Nothing has changed" in html
    assert client.get(GATED).status_code == 200, "the resident is still signed in"


def test_a_bare_callback_link_in_japanese(client):
    html = client.get("/identity/callback").get_data(as_text=True)
    assert "完了するログインがありません" in html


def test_without_a_card_sign_in_the_gated_page_still_asks_for_one(client):
    begin(client)
    client.get("/identity/callback")
    assert urlparse(client.get(GATED).location).path == SIGN_IN
