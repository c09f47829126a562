"""The stub staff directory: the stub provider's protocol under a second issuer, with its own
key, client and people, and an accessible page to pick a test member of staff."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.identity.models import StubAccessToken
from portal.identity.stub_idp.provider import _hash
from tests.support.html_invariants import problems_in
from tests.support.staff_directory import CLERK, STUB_DIRECTORY, choose, to_directory


@pytest.fixture
def database_url(sqlite_url):
    """Run on SQLite alone: the stub's pages and documents do not depend on the database."""
    return sqlite_url


def test_discovery_names_its_own_issuer_key_and_public_subjects(client):
    document = client.get("/stub-directory/.well-known/openid-configuration").get_json()
    assert document["issuer"] == STUB_DIRECTORY
    assert document["authorization_endpoint"] == f"{STUB_DIRECTORY}/authorize"
    assert document["subject_types_supported"] == ["public"]
    assert document["scopes_supported"] == ["email", "openid", "profile"]
    assert "end_session_endpoint" not in document
    directory_key = client.get("/stub-directory/jwks").get_json()["keys"][0]["kid"]
    card_key = client.get("/stub-idp/jwks").get_json()["keys"][0]["kid"]
    assert directory_key != card_key


def test_sign_in_page_asks_for_a_member_of_staff_and_links_the_error(client):
    started = to_directory(client)
    page = client.get(started.location + "&lang=en").get_data(as_text=True)
    assert "test-environment" in page and "no password is asked for" in page
    assert "<legend" in page and 'name="persona"' in page
    html = choose(client, started.location, "").get_data(as_text=True)
    assert not problems_in(html)
    assert 'href="#persona"' in html and "Select the member of staff to sign in as" in html
    assert 'aria-describedby="persona-hint persona-error"' in html
    assert html.count('aria-invalid="true"') == 4


def test_an_unknown_client_gets_an_error_page_not_a_redirect(client):
    response = client.get("/stub-directory/authorize?client_id=nobody&lang=en")
    assert response.status_code == 400
    assert "test-environment" in response.get_data(as_text=True)


def test_userinfo_gives_what_the_scopes_grant_to_its_own_clients_only(app, client, clock):
    with app.app_context(), db.transaction() as tx:
        for token, client_id, persona in (
            ("staff-token", "yokohama-portal-staff", CLERK),
            ("card-token", "yokohama-portal", "minato-hanako"),
        ):
            tx.add(
                StubAccessToken(
                    token_hash=_hash(token),
                    client_id=client_id,
                    persona_id=persona,
                    scope="openid email",
                    expires_at=clock() + timedelta(minutes=5),
                )
            )
    answer = client.get("/stub-directory/userinfo", headers={"Authorization": "Bearer staff-token"})
    assert answer.get_json() == {
        "sub": CLERK,
        "email": "kohoku.sakura@city.yokohama.example",
        "email_verified": True,
    }
    other = client.get("/stub-directory/userinfo", headers={"Authorization": "Bearer card-token"})
    assert other.status_code == 401
    mixed = client.get("/stub-idp/userinfo", headers={"Authorization": "Bearer staff-token"})
    assert mixed.status_code == 401


def test_stub_directory_is_off_unless_enabled(make_app):
    client = make_app(STUB_IDP_ENABLED=False).test_client()
    assert client.get("/stub-directory/.well-known/openid-configuration").status_code == 404
