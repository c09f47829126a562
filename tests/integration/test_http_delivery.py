"""Responses compressed when the browser accepts it; static files fingerprinted and immutable."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest
from flask import Response, url_for
from flask.testing import FlaskClient

from portal.static_files import IMMUTABLE


@pytest.fixture
def database_url(sqlite_url):
    """Run on SQLite alone: delivery does not depend on the database."""
    return sqlite_url


@pytest.fixture
def raw(app) -> FlaskClient:
    """A client that sees the bytes as sent (the checked client reads pages as text)."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def test_a_page_is_sent_gzipped_to_a_browser_that_accepts_gzip(client, raw):
    plain = client.get("/?lang=en")
    response = raw.get("/?lang=en", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "Cookie" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(response.data) < len(plain.data)
    page = gzip.decompress(response.data).decode()
    assert page == plain.get_data(as_text=True)
    assert '<span lang="ja">' in page or 'lang="ja"' in page  # marked before compressing
    assert response.headers["Cache-Control"] == "no-store"


def test_brotli_is_preferred_when_the_browser_offers_it(raw):
    response = raw.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data).decode().startswith("<!DOCTYPE html>")


def test_without_accept_encoding_nothing_is_compressed(raw):
    response = raw.get("/")
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.data.startswith(b"<!DOCTYPE html>")


def test_a_tiny_body_is_sent_as_it_is(raw):
    response = raw.get("/healthz", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert len(response.data) < 500
    assert "Content-Encoding" not in response.headers


def test_a_streamed_body_is_never_compressed(make_app):
    app = make_app()

    @app.get("/streamed")
    def streamed():
        return Response((f"row {i}\n" * 50 for i in range(20)), mimetype="text/plain")

    response = FlaskClient(app, app.response_class).get(
        "/streamed", headers={"Accept-Encoding": "gzip, br"}
    )
    assert "Content-Encoding" not in response.headers
    assert response.is_streamed
    assert response.data.startswith(b"row 0\n")


def test_the_stylesheet_url_carries_the_digest_of_the_file(app, raw):
    page = raw.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert re.fullmatch(r"/static/portal\.css\?v=[0-9a-f]{16}", href)
    with app.test_request_context():
        assert url_for("static", filename="portal.css") == href


def test_the_fingerprinted_stylesheet_is_immutable_and_compressed(app, raw):
    with app.test_request_context():
        href = url_for("static", filename="portal.css")
    response = raw.get(href, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.mimetype == "text/css"
    css = Path(app.static_folder) / "portal.css"
    assert gzip.decompress(response.data) == css.read_bytes()


@pytest.mark.parametrize("query", ["", "?v=0000000000000000"])
def test_a_stylesheet_url_without_its_current_digest_is_revalidated(raw, query):
    response = raw.get(f"/static/portal.css{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    again = raw.get(
        f"/static/portal.css{query}", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["/static/missing.css", "/static/../pyproject.toml"])
def test_no_file_outside_the_static_folder_is_served(raw, path):
    assert raw.get(path).status_code == 404
