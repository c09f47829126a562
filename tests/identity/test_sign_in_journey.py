"""Strict-identity procedures: sign in with a test card through the stub, then apply."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from sqlalchemy import select

from portal.extensions import db
from portal.identity.models import IdentitySession, StubCard, SubmissionIdentity
from portal.models import Submission
from tests.support.identity import hidden_fields, read_card, sign_in_with_card, to_provider
from tests.support.journey import answer_every_page, start, walk

PROCEDURE = "card-prefill"


def procedure(app):
    return app.extensions["portal.procedures"].get(PROCEDURE)


def begin(client, app) -> str:
    """Start the test procedure; return where the journey sends the resident."""
    token = client.csrf_token(f"/procedures/{PROCEDURE}")
    client.post(f"/procedures/{PROCEDURE}/start", data={"csrf_token": token})
    response = client.get(f"/procedures/{PROCEDURE}/applicant")
    assert response.status_code == 302
    return urlparse(response.location).path


def test_strict_procedure_asks_for_sign_in_before_its_first_page(client, app):
    assert begin(client, app) == f"/procedures/{PROCEDURE}/sign-in"
    html = client.get(f"/procedures/{PROCEDURE}/sign-in?lang=en").get_data(as_text=True)
    assert "Sign in with your My Number card" in html


def test_signed_in_resident_submits_and_the_submission_records_how_they_proved_it(client, app):
    result = walk(client, procedure(app))
    with app.app_context():
        submission = db.session.scalar(
            select(Submission).where(Submission.reference_number == result.reference)
        )
        recorded = db.session.get(SubmissionIdentity, submission.id)
        assert recorded.adapter == "mynumber"
        assert recorded.assurance == "high"
        assert recorded.acr == "aal3"
        assert len(recorded.subject_hash) == 64
        assert recorded.authenticated_at is not None
        assert submission.answers["name"] == "港 花子"
        assert submission.answers["birth_date"] == "1985-04-01"


def test_card_details_are_shown_read_only_and_cannot_be_overwritten(client, app):
    token, path = start(client, procedure(app))
    html = client.get(f"{path}?lang=en").get_data(as_text=True)
    assert "港 花子" in html and "Read from your My Number card" in html
    assert 'name="name"' not in html and 'name="address"' not in html
    client.post(
        path,
        data={
            "csrf_token": token,
            "name": "別人 なりすまし",
            "name_kana": "ベツジン",
            "address": "どこか",
        },
    )
    walk_rest = client.get(f"/procedures/{PROCEDURE}/request")
    assert walk_rest.status_code == 200
    with app.app_context():
        answers = db.session.scalar(select(IdentitySession)).claims
        assert answers["name"] == "港 花子"
    check = client.get(f"/procedures/{PROCEDURE}/check").get_data(as_text=True)
    assert "なりすまし" not in check


def test_the_check_page_offers_no_change_for_answers_read_from_the_card(client, app):
    token, path = start(client, procedure(app))
    check, _ = answer_every_page(client, procedure(app), token, path)
    html = client.get(f"{check}?lang=en").get_data(as_text=True)
    changes = set(re.findall(r'href="[^"]*change=1#(\w+)"', html))
    assert changes == {"name_kana", "copies", "email"}
    assert html.count("Read from your My Number card") == 3  # name, birth date, address
    assert "港 花子" in html


def test_resident_who_declines_the_card_details_types_them_in(client, app):
    token = client.csrf_token(f"/procedures/{PROCEDURE}")
    first = urlparse(
        client.post(f"/procedures/{PROCEDURE}/start", data={"csrf_token": token}).location
    ).path
    path = sign_in_with_card(client, first, consent="no")
    html = client.get(path).get_data(as_text=True)
    assert 'name="name"' in html and "マイナンバーカードから" not in html


def test_consent_page_requires_an_answer_and_links_the_error_to_the_question(client, app):
    token = client.csrf_token(f"/procedures/{PROCEDURE}")
    client.post(f"/procedures/{PROCEDURE}/start", data={"csrf_token": token})
    sign_in_path = begin(client, app)
    from tests.support.identity import DEFAULT_PERSONA, to_provider_and_back

    consent = client.get(to_provider_and_back(client, sign_in_path, DEFAULT_PERSONA)).location
    html = client.post(consent, data={"csrf_token": token}).get_data(as_text=True)
    assert 'href="#use"' in html and 'aria-describedby="use-hint use-error"' in html


def test_three_wrong_pins_lock_the_card_and_the_lock_survives_a_new_process(
    client, app, make_identity_app
):
    authorize = to_provider(client, begin(client, app))
    for tries_left in (2, 1):
        html = read_card(client, authorize, "kaido-taro", "0000").get_data(as_text=True)
        assert f"{tries_left} more tr" in html or str(tries_left) in html
        assert 'aria-invalid="true"' in html
    locked = read_card(client, authorize, "kaido-taro", "0000").get_data(as_text=True)
    assert "locked" in locked or "ロック" in locked
    other_process = make_identity_app()
    other = other_process.test_client()
    authorize = to_provider(other, begin(other, other_process))
    still = read_card(other, authorize, "kaido-taro", "4321")
    assert still.status_code == 200
    with other_process.app_context():
        assert db.session.get(StubCard, "kaido-taro").pin_locked


def test_cancelling_at_the_provider_ends_at_the_failure_page(client, app):
    authorize = to_provider(client, begin(client, app))
    back = read_card(client, authorize, "", "", action="cancel")
    assert parse_qs(urlparse(back.location).query)["error"] == ["access_denied"]
    page = client.get(back.location + "&lang=en")
    assert page.status_code == 400
    assert "We could not confirm who you are" in page.get_data(as_text=True)


def test_another_persons_draft_is_not_continued_after_a_new_sign_in(client, app):
    token, path = start(client, procedure(app))
    client.post(path, data={"csrf_token": token, "name_kana": "ミナト ハナコ"})
    with client.session_transaction() as browser:
        browser.pop("identity")
    draft_before = client.get_cookie("portal_session")
    assert draft_before is not None
    again = client.get(path)
    sign_in_path = urlparse(again.location).path
    from tests.support.identity import to_provider_and_back

    back = client.get(to_provider_and_back(client, sign_in_path, ("kaido-taro", "4321")))
    consent = back.location
    client.post(consent, data={"csrf_token": token, "use": "yes"})
    resumed = client.get(path)
    assert (
        resumed.status_code == 302 and urlparse(resumed.location).path == f"/procedures/{PROCEDURE}"
    )


def test_sign_in_expires_after_15_idle_minutes_and_the_draft_is_kept(client, app, clock):
    token, path = start(client, procedure(app))
    response = client.post(path, data={"csrf_token": token, "name_kana": "ミナト ハナコ"})
    following = urlparse(response.location).path
    clock.at += timedelta(minutes=16)
    expired = client.get(following)
    assert "expired=1" in expired.location
    notice = client.get(expired.location + "&lang=en").get_data(as_text=True)
    assert "Your answers are saved" in notice
    resumed = sign_in_with_card(client, following)
    assert resumed == following
    check = client.get(f"/procedures/{PROCEDURE}/applicant").get_data(as_text=True)
    assert "ミナト" in check and "ハナコ" in check


def test_every_page_shows_when_the_sign_in_ends_and_extending_moves_it(client, app, clock):
    start(client, procedure(app))
    clock.at += timedelta(minutes=12)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "identity-status--warning" in html and "Stay signed in" in html
    form = hidden_fields(html.split('class="identity-status', 1)[1].split("</form>", 1)[0])
    response = client.post("/identity/extend", data=form)
    assert response.status_code == 302
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "identity-status--warning" not in html and "Stay signed in" in html


def test_signing_out_ends_the_sign_in_here_and_at_the_provider(client, app):
    token, path = start(client, procedure(app))
    response = client.post("/identity/sign-out", data={"csrf_token": token})
    provider = urlparse(response.location)
    assert provider.path == "/stub-idp/logout"
    assert "id_token_hint" in parse_qs(provider.query)
    back = client.get(response.location)
    assert urlparse(back.location).path == "/identity/signed-out"
    assert client.get(back.location).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(IdentitySession)) is None
    assert client.get(path).location.endswith(f"/procedures/{PROCEDURE}")


def test_stub_provider_is_off_unless_enabled(make_identity_app):
    app = make_identity_app(STUB_IDP_ENABLED=False)
    client = app.test_client()
    assert client.get("/stub-idp/.well-known/openid-configuration").status_code == 404
    html = client.get(f"/procedures/{PROCEDURE}/sign-in?lang=en").get_data(as_text=True)
    assert "not available" in html


def test_every_stub_page_says_it_is_a_test_environment(client, app):
    authorize = to_provider(client, begin(client, app))
    for html in (
        client.get(authorize + "&lang=en").get_data(as_text=True),
        read_card(client, authorize, "minato-hanako", "").get_data(as_text=True),
        client.get("/stub-idp/logout?lang=en").get_data(as_text=True),
        client.get("/stub-idp/authorize?client_id=nobody&lang=en").get_data(as_text=True),
    ):
        assert "test-environment" in html


def test_sign_in_page_lets_its_form_lead_to_the_provider(make_identity_app):
    from joserfc.jwk import ECKey

    key = ECKey.generate_key("P-256", private=True).as_pem(private=True).decode()
    app = make_identity_app(
        STUB_IDP_ENABLED=False,
        MYNUMBER_ISSUER="https://auth.digital.example/oidc",
        MYNUMBER_CLIENT_ID="yokohama-portal",
        MYNUMBER_PRIVATE_KEY=key,
    )
    response = app.test_client().get("/procedures/card-prefill/sign-in")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "form-action 'self' https://auth.digital.example;" in policy
