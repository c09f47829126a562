"""Serve the real portal, or the fixture pages, on a free local port in a background thread."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server


class QuietWSGIHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Log nothing."""


class QuietFileHandler(SimpleHTTPRequestHandler):
    """A static file handler without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing."""


@contextmanager
def serving_app(app: Flask, port: int = 0) -> Iterator[str]:
    """Serve `app` (threaded) on 127.0.0.1:`port` (0: any free one) and yield its base URL."""
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=QuietWSGIHandler)
    thread = threading.Thread(target=server.serve_forever, name="portal", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def serving_folder(folder: Path) -> Iterator[str]:
    """Serve the files of `folder` on 127.0.0.1 and yield its base URL."""
    handler = functools.partial(QuietFileHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="fixtures", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
