"""Fuzzing every resident question page: whatever is posted (NUL, huge numbers, 100 KB, markup,
repeated or unknown names), the answer is a page or a redirect, never a 5xx, and nothing posted
comes back unescaped."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.journey import rendered_fields, start, valid_input

MARKER = "<script>fuzz()</script>"
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "9" * 30,
    "9" * 5000,
    "-1",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "Infinity",
    "２０２６",
    "0x1F",
    "true",
    "on",
    "\u202e\u200b",
    "../../etc/passwd",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "%(x)s",
    MARKER,
    "x" * 100_000,
]
PARTS = ("", "-year", "-month", "-day")
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
VALUE = st.one_of(st.sampled_from(HOSTILE), TEXT)


@dataclass(frozen=True)
class QuestionPage:
    path: str
    names: tuple[str, ...]


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


@pytest.fixture
def app(make_app):
    """Hundreds of forms from one address: tests/hostile/test_rate_limits.py covers the limits."""
    return make_app(RATELIMIT_ENABLED=False)


@pytest.fixture
def walked(app, client) -> tuple[str, list[QuestionPage]]:
    """Walk every open procedure to its check page; return the CSRF token and every page."""
    pages: list[QuestionPage] = []
    token = ""
    for procedure in app.extensions["portal.procedures"].all():
        if procedure.window.state(app.config["CLOCK"]()) != "open":
            continue
        token, path = start(client, procedure)
        while not path.endswith("/check"):
            page = procedure.page(path.rsplit("/", 1)[1])
            fields = rendered_fields(client.get(path).get_data(as_text=True), page.fields)
            names = tuple(f"{f.id}{part}" for f in page.fields for part in PARTS)
            pages.append(QuestionPage(path, names))
            response = client.post(path, data={"csrf_token": token, **valid_input(fields)})
            assert response.status_code == 302, path
            path = urlparse(response.location).path
    assert pages
    return token, pages


@settings(
    max_examples=400,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_post_to_a_question_page_answers_5xx(client, walked, data):
    token, pages = walked
    page = data.draw(st.sampled_from(pages), label="page")
    names = st.one_of(st.sampled_from(page.names), TEXT.filter(bool))
    form = data.draw(
        st.dictionaries(names, st.lists(VALUE, min_size=1, max_size=3), max_size=8), label="form"
    )
    response = client.post(page.path, data={"csrf_token": token, **form})
    assert response.status_code < 500, f"{page.path}: {response.status_code}"
    assert MARKER not in response.get_data(as_text=True)
