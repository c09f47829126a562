"""Staff see whether a submission's signature verified, and why not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Submission
from tests.identity.test_signature_journey import AOI, PROCEDURES, fill_in, press_submit
from tests.staff.conftest import (  # noqa: F401  (fixtures)
    cheap_password_hashing,
    make_staff,
    make_submission,
    sign_in,
)
from tests.support.signing import DEFAULT_SIGNER, sign

CARD = ("minato-hanako", "1234")


@pytest.fixture
def app(make_app):
    return make_app(PROCEDURES_DIR=str(PROCEDURES))


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ((CARD, DEFAULT_SIGNER), "Signature verification: valid"),
        (AOI, "Signature verification: not valid</strong> the certificate has been revoked"),
    ],
)
def test_staff_see_the_signature_verification_result(app, make_staff, persona, shown):  # noqa: F811
    resident = app.test_client()
    card, signer = persona
    token = fill_in(resident, app, card)
    sign(resident, "signed-request", signer)
    press_submit(resident, token)
    with app.app_context():
        submission = db.session.scalar(select(Submission))
    make_staff("admin@example.jp", admin=True)
    clerk = app.test_client()
    sign_in(clerk, "admin@example.jp")
    html = clerk.get(f"/staff/submissions/{submission.id}?lang=en").get_data(as_text=True)
    assert shown in html
    assert "Certificate fingerprint (SHA-256)" in html


def test_unsigned_submissions_show_no_signature_section(app, make_staff, make_submission):  # noqa: F811
    submission = make_submission()
    make_staff("admin@example.jp", admin=True)
    clerk = app.test_client()
    sign_in(clerk, "admin@example.jp")
    html = clerk.get(f"/staff/submissions/{submission.id}?lang=en").get_data(as_text=True)
    assert "Electronic signature" not in html
