"""Settings, each from a PORTAL_* environment variable."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

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
        # Where residents reach the portal: links in emails sent outside a request use it.
        "BASE_URL": os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000"),
        "PROCEDURES_DIR": os.environ.get("PORTAL_PROCEDURES_DIR", str(ROOT / "procedures")),
        "PORTAL_LOCALES": os.environ.get("PORTAL_LOCALES", "ja,en").split(","),
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
    }
