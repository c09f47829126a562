"""Static files under fingerprinted URLs, which browsers keep for a year without asking again.

`url_for('static', filename='portal.css')` gives `/static/portal.css?v=<digest of the file>`.
A request carrying the file's current digest is answered `Cache-Control: public,
max-age=31536000, immutable`; any other (an old page naming an old digest, a bare URL) is
answered `no-cache`, to be revalidated by its ETag. A changed file has a new digest, so a
new URL. The files are small and read into memory once (again when they change), so the
body has a length and is compressed like a page.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, request
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    digest: str
    mimetype: str


class StaticFiles:
    """The files of one folder, each read once for as long as it is unchanged."""

    def __init__(self, folder: str | Path):
        self.folder = str(folder)
        self._read: dict[str, tuple[tuple[int, int], StaticFile]] = {}

    def get(self, filename: str) -> StaticFile | None:
        """Return the file `filename` in the folder, or None if there is none."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        if not Path(path).is_file():
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        known = self._read.get(path)
        if known is None or known[0] != stamp:
            body = Path(path).read_bytes()
            mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
            known = stamp, StaticFile(body, hashlib.sha256(body).hexdigest()[:16], mimetype)
            self._read[path] = known
        return known[1]

    def response(self, filename: str, asked_digest: str | None) -> Response:
        """Return the response for `filename`, immutable when `asked_digest` is its digest."""
        found = self.get(filename)
        if found is None:
            abort(404)
        response = Response(found.body, mimetype=found.mimetype)
        response.set_etag(found.digest)
        response.headers["Cache-Control"] = (
            IMMUTABLE if asked_digest == found.digest else "no-cache"
        )
        return response.make_conditional(request)


def init_app(app: Flask) -> None:
    files = StaticFiles(app.static_folder or "")

    @app.url_defaults
    def _fingerprint(endpoint: str | None, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            found = files.get(values["filename"])
            if found is not None:
                values["v"] = found.digest

    def static(filename: str) -> Response:
        return files.response(filename, request.args.get("v"))

    app.view_functions["static"] = static
