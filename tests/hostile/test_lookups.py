"""The status and cancellation lookups answer any typed text with the page's own message, on
both databases: PostgreSQL refuses NUL in text, so such text never reaches a query."""

from __future__ import annotations

import pytest

NO_MATCH = "No application matches that reference number and email address"


@pytest.fixture
def app(make_app):
    return make_app(RATELIMIT_ENABLED=False)


@pytest.mark.parametrize("path", ["/status", "/cancel"])
@pytest.mark.parametrize(
    "reference, email",
    [
        ("\x00", "taro@example.jp"),
        ("YKH-2222-333\x00", "taro@example.jp"),
        ("YKH-2222-3333", "taro\x00@example.jp"),
        ("9" * 5000, "taro@example.jp"),
    ],
)
def test_a_lookup_of_hostile_text_says_nothing_matches(client, path, reference, email):
    token = client.csrf_token(path)
    response = client.post(
        path,
        data={"csrf_token": token, "reference_number": reference, "email": email},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert NO_MATCH in html or "Enter" in html
