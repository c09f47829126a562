"""やさしい日本語: the catalogue's furigana ({漢字|かんじ}) reads as ruby on pages and as
漢字（かんじ） in plain text (form errors, emails); a reader never sees the braces."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from tests.support.journey import start, walk

NOTATION = re.compile(r"\{[^{}|<]+\|[^{}|<]+\}")


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


@pytest.fixture
def app(make_app):
    return make_app(PORTAL_LOCALES=["ja", "ja_easy"])


def test_pages_show_the_catalogues_furigana_as_ruby(app):
    client = app.test_client()
    for path in ["/?lang=ja_easy", "/procedures/bulky-waste", "/status", "/no-such-page"]:
        html = client.get(path).get_data(as_text=True)
        assert NOTATION.findall(html) == [], path
        assert "<ruby>" in html, path


def test_form_errors_read_as_plain_words_with_their_reading(app):
    client = app.test_client()
    client.get("/?lang=ja_easy")
    procedure = app.extensions["portal.procedures"].get("bulky-waste")
    token, path = start(client, procedure)
    html = client.post(path, data={"csrf_token": token}).get_data(as_text=True)
    main = html.split("<main", 1)[1]
    assert 'class="error-summary"' in main
    assert NOTATION.findall(main) == []


def test_emails_read_as_plain_words_with_their_reading(app):
    client = app.test_client()
    client.get("/?lang=ja_easy")
    walk(client, app.extensions["portal.procedures"].get("bulky-waste"))
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage)).one().body
    assert NOTATION.findall(body) == [] and "<ruby>" not in body
    assert re.search(r"[一-龯]+（[ぁ-ん]+）", body)
