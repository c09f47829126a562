"""CRLs are kept until their nextUpdate, fetched again when stale, and fail closed."""

from __future__ import annotations

from datetime import timedelta

from portal.identity.revocation import RevocationLists
from portal.identity.signature_verification import verify
from tests.identity.test_signature_verification import (
    CA,
    CRL_URL,
    DIGEST,
    KEY,
    NOW,
    der,
    ec_sign,
    make_crl,
    make_leaf,
)


class DistributionPoint:
    """Serves whichever CRL the test says, counting downloads; `None` means it is down."""

    def __init__(self, crl: bytes | None):
        self.crl = crl
        self.asked = []

    def __call__(self, url: str) -> bytes:
        self.asked.append(url)
        if self.crl is None:
            raise OSError("connection refused")
        return self.crl


LEAF = make_leaf(CA, KEY, serial=42)


def check(crls: RevocationLists, now):
    return verify(DIGEST, ec_sign(KEY), der(LEAF), [CA[1]], crls, now).reason


def test_a_crl_is_fetched_once_and_kept_until_its_next_update():
    point = DistributionPoint(make_crl(CA, next_update=timedelta(hours=6)))
    crls = RevocationLists(point)
    for minutes in (0, 1, 60, 359):
        assert check(crls, NOW + timedelta(minutes=minutes)) == "valid"
    assert point.asked == [CRL_URL]


def test_a_stale_crl_is_fetched_again_and_the_new_one_counts():
    point = DistributionPoint(make_crl(CA, next_update=timedelta(hours=6)))
    crls = RevocationLists(point)
    assert check(crls, NOW) == "valid"
    # Revoked meanwhile: the kept CRL still says valid until its nextUpdate, then the new one.
    point.crl = make_crl(CA, revoked=[42], next_update=timedelta(hours=30))
    assert check(crls, NOW + timedelta(hours=5)) == "valid"
    assert check(crls, NOW + timedelta(hours=6)) == "certificate_revoked"
    assert len(point.asked) == 2
    assert check(crls, NOW + timedelta(hours=7)) == "certificate_revoked"
    assert len(point.asked) == 2


def test_when_the_crl_is_stale_and_the_distribution_point_is_down_nothing_is_valid(caplog):
    point = DistributionPoint(make_crl(CA, next_update=timedelta(hours=1)))
    crls = RevocationLists(point)
    assert check(crls, NOW) == "valid"
    point.crl = None
    assert check(crls, NOW + timedelta(hours=2)) == "revocation_unknown"
    assert "CRL unreachable: url=https://ca.test/crl" in caplog.text
    # It is asked again next time: an outage is not remembered.
    assert check(crls, NOW + timedelta(hours=2, minutes=1)) == "revocation_unknown"
    assert len(point.asked) == 3


def test_a_crl_not_fit_to_use_is_not_kept():
    point = DistributionPoint(make_crl((CA[0], CA[1]), next_update=timedelta(minutes=-1)))
    crls = RevocationLists(point)
    assert check(crls, NOW) == "revocation_unknown"
    assert check(crls, NOW) == "revocation_unknown"
    assert len(point.asked) == 2


def test_the_app_keeps_the_stubs_crl_between_signatures(make_app, clock):
    from pathlib import Path

    from tests.identity.test_signature_journey import PROCEDURES, fill_in
    from tests.support.signing import sign

    app = make_app(PROCEDURES_DIR=str(Path(PROCEDURES)))
    crls = app.extensions["portal.revocation"]
    client = app.test_client()
    fill_in(client, app)
    sign(client, "signed-request")
    sign(client, "signed-request")
    assert crls.downloads == 1
    clock.at += timedelta(days=1, minutes=1)  # past the stub CRL's nextUpdate
    later = app.test_client()  # the first sign-in has ended by now
    fill_in(later, app)
    sign(later, "signed-request")
    assert crls.downloads == 2
