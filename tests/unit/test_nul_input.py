"""NUL in a request's query string, path or url-encoded form reaches the portal as U+FFFD;
uploaded files and bodies too large to read are left as sent."""

from __future__ import annotations

import io

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from portal.nul_input import NulInput


def seen(max_body: int | None = 1000, **request) -> Request:
    """Return the request as the app behind NulInput reads it."""
    got: list[Request] = []

    def app(environ, start_response):
        got.append(Request(environ))
        got[0].get_data()  # read while the body is there
        start_response("200 OK", [])
        return [b""]

    builder = EnvironBuilder(**request)
    try:
        NulInput(app, max_body)(builder.get_environ(), lambda *a: None)
    finally:
        builder.close()
    return got[0]


@pytest.mark.parametrize("query", ["q=a%00b", "q=a\x00b"])
def test_nul_in_the_query_string_becomes_a_replacement_character(query):
    assert seen(path=f"/staff/audit?{query}").args["q"] == "a\ufffdb"


def test_nul_in_the_path_becomes_a_replacement_character():
    assert seen(path="/procedures/a%00b").path == "/procedures/a\ufffdb"


def test_nul_in_a_form_becomes_a_replacement_character():
    request = seen(method="POST", data={"email": "taro\x00@example.jp"})
    assert request.form["email"] == "taro\ufffd@example.jp"


def test_an_uploaded_file_is_left_as_sent():
    request = seen(method="POST", data={"file": (io.BytesIO(b"a\x00b"), "f.yaml")})
    try:
        assert request.files["file"].read() == b"a\x00b"
    finally:
        request.close()


def test_a_body_over_the_limit_is_left_for_flask_to_refuse():
    request = seen(max_body=10, method="POST", data={"q": "a\x00b" * 10})
    assert "%00" in request.get_data(as_text=True)
