"""What every request and response gets: the client address behind proxies, security headers,
friendly error pages, the health check."""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, make_response, render_template, session
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal.nul_input import NulInput

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


#: how stale a permanent session cookie's 24 hours may get before it is sent again
SESSION_RENEWAL = timedelta(minutes=10)


def try_again_at(wait: timedelta, now: datetime | None = None) -> str:
    """Return, in the visitor's language, the minute from which trying again is let through."""
    moment = (now or datetime.now(UTC)) + wait
    if moment.second or moment.microsecond:  # "after 10:42" must not mean 10:42:30
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    from flask_babel import format_time

    return format_time(moment, "short")


def origins_of(*urls: str | None) -> list[str]:
    """Return the origins (scheme://host:port) of `urls`, each once."""
    return sorted({f"{part.scheme}://{part.netloc}" for part in map(urlsplit, filter(None, urls))})


def allow_form_action(response: Response, origins: list[str]) -> Response:
    """Let this page's forms lead to `origins` too (a sign-in that redirects to a provider)."""
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    sources = " ".join(["'self'", *origins])
    response.headers["Content-Security-Policy"] = policy.replace(
        "form-action 'self'", f"form-action {sources}"
    )
    return response


# The largest value of an SQL INTEGER column (PostgreSQL's is 32 bits; SQLite's is wider).
LARGEST_ROW_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    """Match a row id (`<id:name>`) only within what every database can store, else 404."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=LARGEST_ROW_ID)


#: What HTML may not contain even escaped: controls (but tab, LF, FF, CR) and noncharacters.
_NOT_IN_HTML = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(rf"\U{plane:04X}FFFE\U{plane:04X}FFFF" for plane in range(1, 17))
    + "]"
)


def _replace_codepoints_html_forbids(response: Response) -> None:
    """Write U+FFFD for characters a page may not hold, such as a pasted control character
    echoed back in a form (they make the page unparseable, even escaped)."""
    if response.is_streamed or response.direct_passthrough:
        return
    page = response.get_data(as_text=True)
    if _NOT_IN_HTML.search(page):
        response.set_data(_NOT_IN_HTML.sub("\ufffd", page))


def init_app(app: Flask) -> None:
    # Registered before any blueprint: every route with a row id in its path uses `<id:…>`.
    app.url_map.converters["id"] = RowIdConverter
    app.wsgi_app = NulInput(app.wsgi_app, app.config.get("MAX_CONTENT_LENGTH"))
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        # Trust exactly `hops` proxies: a client cannot claim an address by sending the header.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    @app.after_request
    def _renew_session(response: Response) -> Response:
        # The cookie's lifetime runs from when it was last sent: keep it sliding, cheaply.
        if session.permanent:
            now = int(time.time())
            if now - session.get("renewed_at", 0) >= SESSION_RENEWAL.total_seconds():
                session["renewed_at"] = now
        return response

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
            _replace_codepoints_html_forbids(response)
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_template("errors/session_expired.html"), 400

    @app.errorhandler(RateLimitExceeded)
    def _too_many_requests(error: RateLimitExceeded):
        from portal.rate_limits import seconds_until_allowed

        wait = seconds_until_allowed()
        again = try_again_at(timedelta(seconds=wait))
        response = make_response(render_template("errors/too_many_requests.html", again=again))
        response.headers["Retry-After"] = str(wait)
        return response, 429

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return render_template("errors/error.html", code=error.code), error.code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unexpected error")
        return render_template("errors/error.html", code=500), 500

    @app.get("/healthz")
    def healthz():
        from portal.extensions import db

        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok", database="ok")
