"""Signed applications: the resident signs exactly what they submit, through the stub."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from urllib.parse import urlparse

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from sqlalchemy import func, select

from portal.extensions import db
from portal.identity.models import DraftSignature, StubCard, SubmissionSignature
from portal.identity.signatures import answers_digest
from portal.models import Submission
from tests.support.identity import sign_in_with_card
from tests.support.journey import REFERENCE, answer_every_page
from tests.support.signing import enter_password, sign, to_signing_page

PROCEDURES = Path(__file__).with_name("signature_procedures")
PROCEDURE = "signed-request"
AOI = (("yamate-aoi", "2468"), ("yamate-aoi", "aoi-test-3"))  # her certificate is revoked


@pytest.fixture
def app(make_app):
    return make_app(PROCEDURES_DIR=str(PROCEDURES))


def fill_in(client, app, persona=("minato-hanako", "1234")) -> str:
    """Start, sign in and answer every page; return the CSRF token (the check page is next)."""
    procedure = app.extensions["portal.procedures"].get(PROCEDURE)
    token = client.csrf_token(f"/procedures/{PROCEDURE}")
    first = client.post(f"/procedures/{PROCEDURE}/start", data={"csrf_token": token})
    path = sign_in_with_card(client, urlparse(first.location).path, persona)
    answer_every_page(client, procedure, token, path)
    return token


def press_submit(client, token: str):
    return client.post(f"/procedures/{PROCEDURE}/check", data={"csrf_token": token})


def stored(app, model):
    with app.app_context():
        return db.session.scalars(select(model)).all()


def test_submitting_unsigned_answers_leads_to_the_signing_page_and_sends_nothing(client, app):
    token = fill_in(client, app)
    check = client.get(f"/procedures/{PROCEDURE}/check?lang=en").get_data(as_text=True)
    assert "Next, you sign your answers with your My Number card" in check
    response = press_submit(client, token)
    assert urlparse(response.location).path == f"/procedures/{PROCEDURE}/sign"
    html = client.get(f"/procedures/{PROCEDURE}/sign?lang=en").get_data(as_text=True)
    assert "Sign your application" in html
    assert stored(app, Submission) == []


def test_signing_page_lets_its_form_lead_to_the_signing_service(client, app):
    fill_in(client, app)
    response = client.get(f"/procedures/{PROCEDURE}/sign")
    signing = urlparse(to_signing_page(client, PROCEDURE))
    policy = response.headers["Content-Security-Policy"]
    assert f"form-action 'self' {signing.scheme}://{signing.netloc};" in policy


def test_signed_application_is_submitted_with_its_verified_signature(client, app):
    token = fill_in(client, app)
    page = sign(client, PROCEDURE)
    assert urlparse(page.location).path == f"/procedures/{PROCEDURE}/sign"
    html = client.get(f"/procedures/{PROCEDURE}/sign?lang=en").get_data(as_text=True)
    assert "Your answers are signed" in html and "could not be confirmed" not in html
    done = press_submit(client, token)
    assert urlparse(done.location).path == f"/procedures/{PROCEDURE}/complete"
    assert REFERENCE.search(client.get(done.location).get_data(as_text=True))
    procedure = app.extensions["portal.procedures"].get(PROCEDURE)
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        signature = db.session.get(SubmissionSignature, submission.id)
        assert (signature.valid, signature.reason) == (True, "valid")
        assert signature.digest == answers_digest(procedure, submission.answers)
        certificate = x509.load_pem_x509_certificate(signature.certificate.encode())
        der = certificate.public_bytes(serialization.Encoding.DER)
        assert signature.certificate_fingerprint == hashlib.sha256(der).hexdigest()
        # Anyone can check it again from what is stored: the signature covers the digest.
        certificate.public_key().verify(
            base64.b64decode(signature.signature),
            bytes.fromhex(signature.digest),
            ec.ECDSA(Prehashed(hashes.SHA256())),
        )


def test_changing_an_answer_after_signing_needs_a_new_signature(client, app):
    token = fill_in(client, app)
    sign(client, PROCEDURE)
    first_digest = stored(app, DraftSignature)[0].digest
    change = f"/procedures/{PROCEDURE}/request?change=1"
    response = client.post(
        change, data={"csrf_token": token, "copies": "3", "email": "other@example.jp"}
    )
    assert urlparse(response.location).path == f"/procedures/{PROCEDURE}/check"
    refused = press_submit(client, token)
    assert urlparse(refused.location).path == f"/procedures/{PROCEDURE}/sign"
    assert stored(app, Submission) == []
    html = client.get(f"/procedures/{PROCEDURE}/sign?lang=en").get_data(as_text=True)
    assert "You changed your answers after signing them" in html
    sign(client, PROCEDURE)
    press_submit(client, token)
    [submission] = stored(app, Submission)
    [signature] = stored(app, SubmissionSignature)
    assert submission.answers["copies"] == 3
    assert signature.digest != first_digest and signature.valid


def test_revoked_certificate_is_recorded_and_staff_can_see_why(client, app):
    card, signer = AOI
    token = fill_in(client, app, card)
    sign(client, PROCEDURE, signer)
    html = client.get(f"/procedures/{PROCEDURE}/sign?lang=en").get_data(as_text=True)
    assert "Your signature could not be confirmed: the certificate has been revoked" in html
    press_submit(client, token)
    [signature] = stored(app, SubmissionSignature)
    assert (signature.valid, signature.reason) == (False, "certificate_revoked")


def test_five_wrong_signature_passwords_lock_the_certificate(client, app):
    fill_in(client, app)
    url = to_signing_page(client, PROCEDURE)
    messages = []
    for _attempt in range(5):
        response = enter_password(client, f"{url}&lang=en", "minato-hanako", "wrong-password")
        assert response.status_code == 200
        messages.append(response.get_data(as_text=True))
    assert "You have 4 more tries" in messages[0] and "You have 1 more try" in messages[3]
    assert "The signature certificate is locked" in messages[4]
    still = enter_password(client, url, "minato-hanako", "hanako-test")
    assert still.status_code == 200  # the right password no longer helps
    with app.app_context():
        card = db.session.get(StubCard, "minato-hanako")
        assert card.signature_locked and card.signature_failures == 5
        assert not card.pin_locked
    assert stored(app, DraftSignature) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [("", "Enter the signature password"), ("12345", "6 to 16 characters")],
)
def test_signature_password_errors_are_linked_from_the_summary(client, app, password, message):
    fill_in(client, app)
    response = enter_password(
        client, to_signing_page(client, PROCEDURE) + "&lang=en", "minato-hanako", password
    )
    html = response.get_data(as_text=True)
    assert '<a href="#pin">' in html and message in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="pin-hint pin-error"' in html


def test_cancelling_at_the_provider_signs_nothing_and_says_so(client, app):
    fill_in(client, app)
    back = enter_password(client, to_signing_page(client, PROCEDURE), "", "", action="cancel")
    page = client.get(back.location + "&lang=en")
    assert page.status_code == 400
    assert "You stopped signing" in page.get_data(as_text=True)
    assert stored(app, DraftSignature) == []


def test_a_forged_return_is_refused(client, app):
    fill_in(client, app)
    url = to_signing_page(client, PROCEDURE)
    back = enter_password(client, url, "minato-hanako", "hanako-test")
    forged = back.location.replace("state=", "state=x")
    assert client.get(forged).status_code == 400
    assert stored(app, DraftSignature) == []
    assert client.get(back.location).status_code == 400  # the attempt is over: no replay


def test_sign_page_exists_only_for_procedures_that_need_a_signature(client, app):
    assert client.get("/procedures/no-such-procedure/sign").status_code == 404


def test_another_browser_cannot_use_the_providers_return(client, app):
    fill_in(client, app)
    url = to_signing_page(client, PROCEDURE)
    back = enter_password(client, url, "minato-hanako", "hanako-test")
    # Someone else's browser cannot use the return: it has no signing in progress.
    other = app.test_client()
    assert other.get(back.location).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DraftSignature)) == 0
