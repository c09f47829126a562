"""NUL in what a request sends becomes U+FFFD before the portal reads it.

No one types NUL, and PostgreSQL refuses it in text, so a NUL that reached a query (a search
box, an email address, a filter in the address bar) answered 500. Here, once, for every route:
the query string, the path and url-encoded forms; a field then says what it says of any text
it cannot take. Uploaded files (multipart) are left as sent: the YAML loader refuses NUL itself.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

REPLACEMENT = "%EF%BF%BD"  # U+FFFD, percent-encoded
FORM = "application/x-www-form-urlencoded"


class NulInput:
    """WSGI middleware: NUL in the query string, the path and url-encoded bodies → U+FFFD."""

    def __init__(self, app: Callable, max_body: int | None):
        self.app = app
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            environ["QUERY_STRING"] = query.replace("%00", REPLACEMENT).replace("\x00", REPLACEMENT)
        path = environ.get("PATH_INFO", "")
        if "\x00" in path:  # WSGI paths are UTF-8 bytes read as latin-1
            environ["PATH_INFO"] = path.replace("\x00", "\ufffd".encode().decode("latin-1"))
        if environ.get("CONTENT_TYPE", "").startswith(FORM):
            self._clean_body(environ)
        return self.app(environ, start_response)

    def _clean_body(self, environ: dict[str, Any]) -> None:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return
        if not length or (self.max_body is not None and length > self.max_body):
            return  # nothing to read, or Flask refuses it as too large (413)
        body = environ["wsgi.input"].read(length)
        if b"%00" in body or b"\x00" in body:
            body = body.replace(b"%00", REPLACEMENT.encode()).replace(b"\x00", REPLACEMENT.encode())
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
