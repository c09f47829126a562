"""Residents' journeys over real HTTP against `portal serve` in production mode."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest

from portal.procedure.fields import field_type
from portal.procedure.folder import load_all
from tests.http.conftest import ROOT, THREADS, WORKERS
from tests.support.journey import REFERENCE, rendered_fields, start, valid_input, walk

pytestmark = [pytest.mark.http, pytest.mark.postgres]

FOUND = "神奈川県横浜市中区港町"


@pytest.fixture(scope="module")
def procedures():
    loaded, problems = load_all([ROOT / "procedures"])
    assert not problems
    return loaded


def postal_code_page(procedure):
    """Return the page and field with a 住所を検索 button."""
    return next(
        (page, field)
        for page in procedure.pages
        for field in page.fields
        if field.type == "postal_code" and field.address_field
    )


def sample_email(procedure) -> str:
    typed = field_type("email").sample_input(procedure.field(procedure.notify.email_field))
    return next(iter(typed.values()))


def find_address(browser, path: str, token: str, field, typed: str) -> str:
    """Press 住所を検索 with `typed` as the postal code; return the page it comes back to."""
    response = browser.post(
        path, data={"csrf_token": token, field.id: typed, "action": f"find-address:{field.id}"}
    )
    assert response.status_code == 302, response.status_code
    assert urlparse(response.location).path == path
    page = browser.get(response.location)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_find_address_then_submit_gives_a_reference_number(browser, procedures):
    procedure = next(
        p
        for p in procedures.values()
        if any(f.type == "postal_code" and f.address_field for page in p.pages for f in page.fields)
    )
    address_page, postal = postal_code_page(procedure)
    token, path = start(browser, procedure)
    while not path.endswith("/check"):
        page = procedure.page(path.rsplit("/", 1)[1])
        html = browser.get(path).get_data(as_text=True)
        data = {"csrf_token": token, **valid_input(rendered_fields(html, page.fields))}
        if page is address_page:
            html = find_address(browser, path, token, postal, "２３１－００１７")
            assert f'value="{FOUND}"' in html
            data[postal.address_field] = f"{FOUND}1-1"
        response = browser.post(path, data=data)
        assert response.status_code == 302, f"{path}: {response.status_code}"
        path = urlparse(response.location).path
    check = browser.get(path).get_data(as_text=True)
    assert f"{FOUND}1-1" in check
    response = browser.post(path, data={"csrf_token": token})
    assert urlparse(response.location).path == f"/procedures/{procedure.id}/complete"
    complete = browser.get(response.location).get_data(as_text=True)
    assert REFERENCE.search(complete)


def test_an_event_booking_is_found_by_status_lookup_and_cancelled(browser, procedures):
    procedure = next(p for p in procedures.values() if p.capacity and p.identity == "none")
    reference = walk(browser, procedure).reference
    email = sample_email(procedure)
    token = browser.csrf_token("/status")
    found = browser.post(
        "/status", data={"csrf_token": token, "reference_number": reference, "email": email}
    )
    assert urlparse(found.location).path == "/status/result"
    assert reference in browser.get(found.location).get_data(as_text=True)

    token = browser.csrf_token("/cancel")
    confirm = browser.post(
        "/cancel", data={"csrf_token": token, "reference_number": reference, "email": email}
    )
    assert urlparse(confirm.location).path == "/cancel/confirm"
    assert reference in browser.get("/cancel/confirm").get_data(as_text=True)
    done = browser.post("/cancel/confirm", data={"csrf_token": token})
    assert urlparse(done.location).path == "/cancel/done"
    assert reference in browser.get("/cancel/done").get_data(as_text=True)
    again = browser.post(
        "/cancel", data={"csrf_token": token, "reference_number": reference, "email": email}
    )
    assert again.status_code == 200  # nothing left to cancel: the form again, with the error


def test_my_number_card_sign_in_and_signature_lead_to_a_reference_number(browser, procedures):
    procedure = next(p for p in procedures.values() if p.identity == "mynumber")
    result = walk(browser, procedure)
    assert REFERENCE.fullmatch(result.reference)


@pytest.mark.parametrize("typed", ["2310017", "0000000"], ids=["known", "unknown"])
def test_find_address_answers_many_residents_at_once(new_browser, procedures, typed):
    procedure = next(
        p
        for p in procedures.values()
        if p.notify
        and any(
            f.type == "postal_code" and f.address_field for page in p.pages for f in page.fields
        )
    )
    address_page, postal = postal_code_page(procedure)
    path = f"/procedures/{procedure.id}/{address_page.id}"
    residents = []
    for browser in [new_browser() for _ in range(WORKERS * THREADS * 2)]:
        token, _ = start(browser, procedure)
        residents.append((browser, token))

    def press(resident) -> str:
        browser, token = resident
        return find_address(browser, path, token, postal, typed)

    with ThreadPoolExecutor(WORKERS * THREADS * 2) as pool:
        pages = list(pool.map(press, residents))
    if typed == "2310017":
        assert all(f'value="{FOUND}"' in page for page in pages)
    else:
        assert not any(FOUND in page for page in pages)
        assert all(re.search(r'class="[^"]*notice', page) for page in pages)
