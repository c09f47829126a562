"""Conditions applied both ways, change links, address look-up, and the application window."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Submission

HERE = Path(__file__).parent / "procedures"
BASE = "/procedures/conditional"


@pytest.fixture
def app(make_app):
    return make_app(PROCEDURES_DIR=str(HERE))


@pytest.fixture
def token(client):
    token = client.csrf_token(BASE)
    client.post(f"{BASE}/start", data={"csrf_token": token})
    return token


def _submitted(app) -> Submission:
    with app.app_context():
        return db.session.scalars(select(Submission)).one()


def test_page_shown_only_for_bed_is_skipped_without_it(client, token):
    response = client.post(
        f"{BASE}/items", data={"csrf_token": token, "items": "chair", "email": "a@example.jp"}
    )
    assert response.location.endswith("/address")


def test_answers_of_a_page_that_stops_applying_are_not_submitted(client, app, token):
    client.post(
        f"{BASE}/items", data={"csrf_token": token, "items": ["bed"], "email": "a@example.jp"}
    )
    client.post(f"{BASE}/bed", data={"csrf_token": token, "bed_size": "double"})
    client.post(
        f"{BASE}/address",
        data={
            "csrf_token": token,
            "postal": "2310017",
            "address": "中区港町1-1",
            "floor_note": "3階",
        },
    )
    check = client.get(f"{BASE}/check").get_data(as_text=True)
    assert "ダブル" in check and "3階" in check
    # Change the items: the bed page, and the question that depended on it, drop out.
    response = client.post(
        f"{BASE}/items?change=1",
        data={"csrf_token": token, "items": ["chair"], "email": "a@example.jp"},
    )
    assert response.location.endswith("/check")
    check = client.get(f"{BASE}/check").get_data(as_text=True)
    assert "ダブル" not in check and "3階" not in check
    client.post(f"{BASE}/check", data={"csrf_token": token})
    answers = _submitted(app).answers
    assert "bed_size" not in answers and "floor_note" not in answers
    assert answers["items"] == ["chair"] and answers["postal"] == "231-0017"


def test_a_page_that_starts_to_apply_is_asked_before_check_answers(client, token):
    client.post(
        f"{BASE}/items", data={"csrf_token": token, "items": ["chair"], "email": "a@example.jp"}
    )
    client.post(
        f"{BASE}/address", data={"csrf_token": token, "postal": "2310017", "address": "港町"}
    )
    client.post(
        f"{BASE}/items?change=1",
        data={"csrf_token": token, "items": ["chair", "bed"], "email": "a@example.jp"},
    )
    assert client.get(f"{BASE}/check").location.endswith("/bed")


def test_change_link_returns_to_check_answers(client, token):
    client.post(
        f"{BASE}/items", data={"csrf_token": token, "items": ["chair"], "email": "a@example.jp"}
    )
    client.post(
        f"{BASE}/address", data={"csrf_token": token, "postal": "2310017", "address": "港町"}
    )
    check = client.get(f"{BASE}/check").get_data(as_text=True)
    assert f'href="{BASE}/address?change=1#address"' in check
    response = client.post(
        f"{BASE}/address?change=1",
        data={"csrf_token": token, "postal": "2310017", "address": "港町2"},
    )
    assert response.location.endswith("/check")


def test_find_address_fills_the_address_without_javascript(client, token):
    client.post(
        f"{BASE}/items", data={"csrf_token": token, "items": ["chair"], "email": "a@example.jp"}
    )
    response = client.post(
        f"{BASE}/address",
        data={
            "csrf_token": token,
            "postal": "２３１－００１７",
            "address": "",
            "action": "find-address:postal",
        },
    )
    assert response.status_code == 302 and response.location.endswith("/address#address")
    html = client.get(f"{BASE}/address").get_data(as_text=True)
    assert 'value="神奈川県横浜市中区港町"' in html and 'value="231-0017"' in html
    assert 'class="error-summary"' not in html


def test_find_address_for_an_unknown_code_says_so_and_keeps_answers(client, token):
    client.post(
        f"{BASE}/items", data={"csrf_token": token, "items": ["chair"], "email": "a@example.jp"}
    )
    client.post(
        f"{BASE}/address",
        data={
            "csrf_token": token,
            "postal": "0000000",
            "address": "自分で",
            "action": "find-address:postal",
        },
    )
    html = client.get(f"{BASE}/address").get_data(as_text=True)
    assert 'class="notice notice--not-found"' in html and 'value="自分で"' in html


def test_switching_language_mid_journey_keeps_answers(client, token):
    client.post(
        f"{BASE}/items", data={"csrf_token": token, "items": ["chair"], "email": "a@example.jp"}
    )
    html = client.get(f"{BASE}/items?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert 'value="a@example.jp"' in html and 'value="chair" checked' in html


def test_submission_a_second_after_closing_is_refused_and_answers_stay_readable(
    tmp_path, make_app, clock
):
    source = (HERE / "conditional.yaml").read_text(encoding="utf-8")
    closing = source.replace("pages:", "window: {closes: 2026-11-26 10:00}\npages:", 1)
    (tmp_path / "conditional.yaml").write_text(closing, encoding="utf-8")
    app = make_app(PROCEDURES_DIR=str(tmp_path))
    client = app.test_client()
    clock.set(2026, 11, 26, 9, 59, 0)
    token = client.csrf_token(BASE)
    client.post(f"{BASE}/start", data={"csrf_token": token})
    client.post(
        f"{BASE}/items", data={"csrf_token": token, "items": ["chair"], "email": "a@example.jp"}
    )
    client.post(
        f"{BASE}/address", data={"csrf_token": token, "postal": "2310017", "address": "港町"}
    )
    clock.set(2026, 11, 26, 10, 0, 1)
    response = client.post(f"{BASE}/check", data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "notice--warning" in html and "a@example.jp" in html and "港町" in html
    with app.app_context():
        assert db.session.scalars(select(Submission)).all() == []
