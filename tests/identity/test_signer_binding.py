"""The signer is the signed-in resident: a signature made with another card does not count."""

from __future__ import annotations

import logging

import pytest

from portal.identity.models import DraftSignature, SubmissionSignature
from tests.identity.test_signature_journey import (
    PROCEDURE,
    PROCEDURES,
    fill_in,
    press_submit,
    stored,
)
from tests.support.signing import sign

HANAKO_CARD = ("minato-hanako", "1234")
HANAKO_SIGNS = ("minato-hanako", "hanako-test")
TARO_CARD = ("kaido-taro", "4321")
TARO_SIGNS = ("kaido-taro", "taro-test-2")


@pytest.fixture
def app(make_app):
    return make_app(PROCEDURES_DIR=str(PROCEDURES))


@pytest.mark.parametrize(("card", "signer"), [(HANAKO_CARD, TARO_SIGNS), (TARO_CARD, HANAKO_SIGNS)])
def test_a_signature_with_another_personas_card_is_refused_and_recorded_as_invalid(
    client, app, card, signer, caplog
):
    token = fill_in(client, app, card)
    with caplog.at_level(logging.INFO, logger="portal.identity.signature_views"):
        sign(client, PROCEDURE, signer)
    html = client.get(f"/procedures/{PROCEDURE}/sign?lang=en").get_data(as_text=True)
    assert (
        "Your signature could not be confirmed: "
        "it was made with a card other than the one you signed in with" in html
    )
    [kept] = stored(app, DraftSignature)
    assert (kept.valid, kept.reason) == (False, "signer_not_signed_in_resident")
    assert "valid=False reason=signer_not_signed_in_resident" in caplog.text
    press_submit(client, token)
    [recorded] = stored(app, SubmissionSignature)
    assert (recorded.valid, recorded.reason) == (False, "signer_not_signed_in_resident")


@pytest.mark.parametrize(("card", "signer"), [(HANAKO_CARD, HANAKO_SIGNS), (TARO_CARD, TARO_SIGNS)])
def test_each_persona_signing_with_their_own_card_is_valid(client, app, card, signer):
    token = fill_in(client, app, card)
    sign(client, PROCEDURE, signer)
    press_submit(client, token)
    [recorded] = stored(app, SubmissionSignature)
    assert (recorded.valid, recorded.reason) == (True, "valid")
