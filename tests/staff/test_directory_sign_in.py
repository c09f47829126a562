"""Signing in through the city's staff directory (OpenID Connect, here the stub directory): who
is let in, who is refused and how, what the audit trail and the throttle count."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.staff.accounts import link_directory
from portal.staff.models import AuditEvent, SignInFailure, StaffMember
from portal.staff.throttle import PER_ADDRESS
from tests.staff.conftest import sign_in
from tests.support.html_invariants import problems_in
from tests.support.staff_directory import (
    CLERK,
    DISABLED,
    NEWCOMER,
    STUB_DIRECTORY,
    callback_url,
    choose,
    sign_in_through_directory,
    to_directory,
)

OURS, THEIRS = "public-comment-data-plan", "bulky-waste"


@pytest.fixture
def make_directory_staff(app, make_staff):
    """Return a factory of accounts linked to a subject of the stub directory."""

    def make(email: str, subject: str, *, issuer: str = STUB_DIRECTORY, active=True, **kwargs):
        member = make_staff(email, **kwargs)
        with app.app_context(), db.transaction() as tx:
            found = tx.get(StaffMember, member.id)
            link_directory(tx, found, issuer, subject)
            found.active = active
        return member

    return make


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def failures(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SignInFailure))


def refusal_page(client, response) -> str:
    """Follow a refusal back to the sign-in page; check it is one; return its HTML."""
    assert response.status_code == 302 and urlparse(response.location).path == "/staff/sign-in"
    page = client.get(response.location)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and not problems_in(html)
    assert 'class="error-summary"' in html and 'href="#directory-sign-in"' in html
    assert html.count('id="directory-sign-in-error"') == 1
    assert client.get("/staff/").status_code == 302, "not signed in"
    return html


def test_clerk_signs_in_through_the_directory_and_sees_only_their_procedures(
    app, client, make_directory_staff
):
    make_directory_staff("clerk@city.example", CLERK, roles={OURS: "clerk"}, password=None)
    response = sign_in_through_directory(client, CLERK)
    assert response.status_code == 302 and response.location.endswith("/staff/")
    html = client.get("/staff/").get_data(as_text=True)
    assert f"/staff/procedures/{OURS}/submissions" in html
    assert f"/staff/procedures/{THEIRS}/submissions" not in html
    assert client.get(f"/staff/procedures/{THEIRS}/submissions").status_code == 403
    [event] = events(app, "sign_in")
    assert event.actor == "clerk@city.example" and event.detail == {"method": "staff_directory"}
    with app.app_context():
        assert db.session.scalar(select(StaffMember.last_sign_in_at)) is not None
    with client.session_transaction() as browser:
        assert not any(key.startswith(("identity", "staff_directory")) for key in browser)


def test_the_sign_in_page_offers_the_directory_first_and_keeps_the_password_form(client):
    html = client.get("/staff/sign-in").get_data(as_text=True)
    assert html.index("Sign in through the staff directory") < html.index('id="password"')
    assert 'aria-describedby="directory-sign-in-hint"' in html


def test_without_a_directory_only_the_password_form_is_offered(make_app):
    client = make_app(STUB_IDP_ENABLED=False).test_client()
    html = client.get("/staff/sign-in").get_data(as_text=True)
    assert "staff directory" not in html and 'id="password"' in html
    token = client.csrf_token("/staff/sign-in")
    assert client.post("/staff/sign-in/directory", data={"csrf_token": token}).status_code == 404
    assert client.get("/staff/sign-in/directory/callback?code=x&state=y").status_code == 404


def test_starting_needs_the_csrf_token(client):
    assert client.post("/staff/sign-in/directory").status_code == 400


def test_unknown_subject_is_refused_and_told_the_id_to_give_an_administrator(app, client):
    html = refusal_page(client, sign_in_through_directory(client, NEWCOMER))
    assert "not linked to a back-office account" in html and NEWCOMER in html
    assert events(app, "sign_in") == [] and events(app, "sign_in_refused") == []
    assert failures(app) == 1


def test_the_same_subject_at_another_directory_is_someone_else(app, client, make_directory_staff):
    make_directory_staff("clerk@city.example", CLERK, issuer="https://other-directory.example")
    html = refusal_page(client, sign_in_through_directory(client, CLERK))
    assert "not linked to a back-office account" in html


def test_switched_off_account_is_refused_and_the_refusal_is_audited(
    app, client, make_directory_staff
):
    make_directory_staff("retired@city.example", DISABLED, active=False, roles={THEIRS: "clerk"})
    html = refusal_page(client, sign_in_through_directory(client, DISABLED))
    assert "Your back-office account has been switched off" in html
    [event] = events(app, "sign_in_refused")
    assert event.actor == "retired@city.example"
    assert event.detail == {"method": "staff_directory", "reason": "account_disabled"}
    assert events(app, "sign_in") == []
    with app.app_context():
        assert db.session.scalar(select(SignInFailure.email)) == "retired@city.example"


def test_forged_state_is_refused_without_asking_the_directory(app, client, make_directory_staff):
    make_directory_staff("clerk@city.example", CLERK, roles={OURS: "clerk"})
    url = urlparse(callback_url(client, CLERK))
    params = {k: v[0] for k, v in parse_qs(url.query).items()} | {"state": "forged"}
    html = refusal_page(client, client.get(f"{url.path}?{urlencode(params)}"))
    assert "Signing in through the staff directory did not work" in html
    assert events(app, "sign_in") == [] and failures(app) == 1


def test_a_callback_is_used_once(app, client, make_directory_staff):
    make_directory_staff("clerk@city.example", CLERK, roles={OURS: "clerk"})
    url = callback_url(client, CLERK)
    assert client.get(url).location.endswith("/staff/")
    client.post("/staff/sign-out", data={"csrf_token": client.csrf_token("/staff/")})
    html = refusal_page(client, client.get(url))
    assert "did not work" in html


@pytest.mark.parametrize("fault", ["bad_signature", "wrong_aud", "expired", "wrong_nonce"])
def test_a_directory_answer_that_fails_a_check_is_refused(
    make_app, make_staff, fault, caplog, database_url
):
    app = make_app(STUB_IDP_FAULTS={fault})
    with app.app_context(), db.transaction() as tx:
        member = StaffMember(
            email="clerk@city.example", display_name="clerk", is_admin=True, active=True
        )
        member.created_at = app.config["CLOCK"]()
        tx.add(member)
        link_directory(tx, member, STUB_DIRECTORY, CLERK)
    client = app.test_client()
    html = refusal_page(client, sign_in_through_directory(client, CLERK))
    assert "did not work" in html
    assert "staff directory sign-in refused: reason=" in caplog.text
    assert events(app, "sign_in") == []


def test_cancelling_at_the_directory_says_so_and_is_not_counted(app, client):
    started = to_directory(client)
    back = choose(client, started.location, "", action="cancel")
    assert parse_qs(urlparse(back.location).query)["error"] == ["access_denied"]
    html = refusal_page(client, client.get(back.location))
    assert "You cancelled signing in at the staff directory" in html
    assert failures(app) == 0


def test_forged_callbacks_are_throttled_before_the_directory_is_asked(
    app, client, make_directory_staff, caplog
):
    make_directory_staff("clerk@city.example", CLERK, roles={OURS: "clerk"})
    url = callback_url(client, CLERK)
    attacker = app.test_client()  # from the same address
    for _ in range(PER_ADDRESS.free):
        to_directory(attacker)
        attacker.get("/staff/sign-in/directory/callback?code=guess&state=guess")
    assert failures(app) == PER_ADDRESS.free
    caplog.clear()
    html = refusal_page(client, client.get(url))
    assert "Try again after" in html
    assert "/stub-directory/token" not in caplog.text, "the directory was not asked"
    token = client.csrf_token("/staff/sign-in")
    started = client.post("/staff/sign-in/directory", data={"csrf_token": token})
    assert "Try again after" in refusal_page(client, started)


@pytest.mark.parametrize("query", ["", "?code=guess&state=guess", "?error=access_denied"])
def test_a_bare_callback_link_changes_nothing(app, client, make_directory_staff, query):
    make_directory_staff("clerk@city.example", CLERK, roles={OURS: "clerk"})
    assert sign_in_through_directory(client, CLERK).location.endswith("/staff/")
    bare = client.get(f"/staff/sign-in/directory/callback{query}")
    assert bare.status_code == 302
    assert client.get("/staff/").status_code == 200, "still signed in"
    assert failures(app) == 0, "not counted against the address: any site can send the link"
    for _ in range(PER_ADDRESS.free + 1):
        app.test_client().get(f"/staff/sign-in/directory/callback{query}")
    assert failures(app) == 0


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client, make_directory_staff):
    make_directory_staff("clerk@city.example", CLERK, roles={OURS: "clerk"})
    asked = client.get(f"/staff/procedures/{OURS}/submissions")
    sign_in_path = asked.location
    response = sign_in_through_directory(client, CLERK, sign_in_path)
    assert response.location.endswith(f"/staff/procedures/{OURS}/submissions")
    client.post("/staff/sign-out", data={"csrf_token": client.csrf_token("/staff/")})
    evil = sign_in_through_directory(client, CLERK, "/staff/sign-in?next=//evil.example/staff/")
    assert evil.location.endswith("/staff/") and "evil" not in evil.location


def test_a_directory_only_account_cannot_sign_in_with_a_password(client, make_directory_staff):
    make_directory_staff("clerk@city.example", CLERK, roles={OURS: "clerk"}, password=None)
    for password in ("", "correct horse battery staple", "None"):
        html = sign_in(client, "clerk@city.example", password).get_data(as_text=True)
        assert client.get("/staff/").status_code == 302
    assert "The email address or password is not right" in html


def test_staff_and_resident_sign_ins_do_not_share_their_state(app, client, make_directory_staff):
    make_directory_staff("clerk@city.example", CLERK, roles={OURS: "clerk"})
    url = urlparse(callback_url(client, CLERK))
    resident = client.get(f"/identity/callback?{url.query}")
    assert resident.status_code == 400, "the resident's callback knows no staff sign-in"
    assert client.get(f"{url.path}?{url.query}").location.endswith("/staff/")
    with client.session_transaction() as browser:
        assert "identity" not in browser and "identity_pending" not in browser


def test_sign_in_page_lets_the_forms_lead_to_the_directory(make_app):
    from joserfc.jwk import ECKey

    key = ECKey.generate_key("P-256", private=True).as_pem(private=True).decode()
    app = make_app(
        STUB_IDP_ENABLED=False,
        STAFF_OIDC_ISSUER="https://login.city.example/realms/staff",
        STAFF_OIDC_CLIENT_ID="portal",
        STAFF_OIDC_PRIVATE_KEY=key,
    )
    response = app.test_client().get("/staff/sign-in")
    policy = response.headers["Content-Security-Policy"]
    assert "form-action 'self' https://login.city.example;" in policy
    assert "Sign in through the staff directory" in response.get_data(as_text=True)
