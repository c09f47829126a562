"""Fixtures for event tests: an app serving the test events, and a way to apply."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

PROCEDURES = Path(__file__).parent / "procedures"


@pytest.fixture
def app(make_app):
    return make_app(PROCEDURES_DIR=str(PROCEDURES))


def prepare(client, procedure_id: str, email: str, party: int = 1) -> str:
    """Start an application and answer its page; return the CSRF token for submitting."""
    token = client.csrf_token()
    client.post(f"/procedures/{procedure_id}/start", data={"csrf_token": token})
    client.post(
        f"/procedures/{procedure_id}/you",
        data={"csrf_token": token, "email": email, "party": str(party)},
    )
    return token


def submit(client, procedure_id: str, token: str, *, accept_waitlist: bool = True):
    """Press submit on the check-answers page."""
    data = {"csrf_token": token, **({"accept_waitlist": "1"} if accept_waitlist else {})}
    return client.post(f"/procedures/{procedure_id}/check", data=data)


def apply(client, procedure_id: str, email: str, party: int = 1, *, accept_waitlist: bool = True):
    """Apply for an event as a new resident; return the response to the submit."""
    token = prepare(client, procedure_id, email, party)
    return submit(client, procedure_id, token, accept_waitlist=accept_waitlist)


def reference_of(client, response) -> str:
    """Follow a successful submit to the completion page and return the reference number."""
    assert urlparse(response.location).path.endswith("/complete"), response.status_code
    html = client.get(response.location).get_data(as_text=True)
    return re.search(r"YKH-[0-9A-Z]{4}-[0-9A-Z]{4}", html).group(0)
