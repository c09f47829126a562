"""Settings, each from a PORTAL_* environment variable."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from portal.locales import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


def from_environment() -> dict:
    """Return the configuration the environment asks for."""
    env = os.environ.get("PORTAL_ENV", "production")
    secret = os.environ.get("PORTAL_SECRET_KEY")
    if not secret and env in ("development", "test"):
        secret = secrets.token_hex(32)
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "DATABASE_URL": os.environ.get(
            "PORTAL_DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'portal.db'}"
        ),
        # How many reverse proxies in front of the portal set X-Forwarded-For and -Proto: the
        # client address audited and throttled is then the one the nearest proxy saw.
        "PROXY_HOPS": int(os.environ.get("PORTAL_PROXY_HOPS", "0")),
        # Where residents reach the portal: links in emails sent outside a request use it.
        "BASE_URL": os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000"),
        "PROCEDURES_DIR": os.environ.get("PORTAL_PROCEDURES_DIR", str(ROOT / "procedures")),
        "PORTAL_LOCALES": os.environ.get(
            "PORTAL_LOCALES", ",".join(language.code for language in LANGUAGES)
        ).split(","),
        "SESSION_COOKIE_SECURE": _flag("PORTAL_SECURE_COOKIES", env == "production"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "portal_session",
        # Longer than 20 hours, so no timing adjustment is owed (WCAG 2.2.1's 20-hour exception).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=24),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "ja",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Tokyo",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # `portal purge` deletes drafts nobody submitted or changed for this many days (30).
        "DRAFT_RETENTION_DAYS": os.environ.get("PORTAL_DRAFT_RETENTION_DAYS"),
        **_identity_settings(),
    }


_MYNUMBER_SETTINGS = (
    "ISSUER",
    "DISCOVERY_URL",
    "AUTHORIZATION_ENDPOINT",
    "TOKEN_ENDPOINT",
    "JWKS_URI",
    "USERINFO_ENDPOINT",
    "END_SESSION_ENDPOINT",
    "SIGNATURE_ENDPOINT",
    "SIGNATURE_TOKEN_ENDPOINT",
    "SIGNATURE_TRUST_ANCHOR",
    "CLIENT_ID",
    "PRIVATE_KEY",
    "REDIRECT_URI",
    "SCOPES",
    "ACR_VALUES",
    "ACCEPTED_ACR",
    "ALGORITHMS",
)


_STAFF_OIDC_SETTINGS = (
    "ISSUER",
    "DISCOVERY_URL",
    "AUTHORIZATION_ENDPOINT",
    "TOKEN_ENDPOINT",
    "JWKS_URI",
    "USERINFO_ENDPOINT",
    "CLIENT_ID",
    "PRIVATE_KEY",
    "REDIRECT_URI",
    "SCOPES",
    "ACR_VALUES",
    "ACCEPTED_ACR",
    "ALGORITHMS",
)


def _identity_settings() -> dict:
    """Return the My Number and staff directory sign-in settings (see the READMEs)."""
    settings: dict = {
        f"MYNUMBER_{name}": os.environ.get(f"PORTAL_MYNUMBER_{name}") for name in _MYNUMBER_SETTINGS
    }
    settings |= {
        f"STAFF_OIDC_{name}": os.environ.get(f"PORTAL_STAFF_OIDC_{name}")
        for name in _STAFF_OIDC_SETTINGS
    }
    settings["STUB_IDP_ENABLED"] = _flag("PORTAL_STUB_IDP")
    settings["IDENTITY_IDLE_MINUTES"] = int(os.environ.get("PORTAL_IDENTITY_IDLE_MINUTES", "15"))
    return settings
