"""Settings: every PORTAL_* environment variable, read here once, typed and checked.

`Settings.from_environ` reads them all and refuses to start with one sentence per bad
value, naming the variable. `VARIABLES` is the table the README's configuration section
is checked against (tests/unit/test_config.py). No other module reads PORTAL_* itself.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from portal.locales import BY_CODE, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("production", "development", "test")


class SettingsError(Exception):
    """The environment asks for something the portal cannot run with; one line per mistake."""


# --- how values are read ---------------------------------------------------------------------


def _text(value: str) -> str:
    return value


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be 1 or 0 (or true/false, yes/no, on/off)")


def _count(minimum: int) -> Callable[[str], int]:
    def read(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError("must be a whole number") from None
        if number < minimum:
            raise ValueError(f"must be {minimum} or more")
        return number

    return read


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError("must be a number of seconds") from None
    if number <= 0:
        raise ValueError("must be more than 0")
    return number


# What Flask-Limiter (the `limits` package) reads, checked here without importing it.
_ONE_LIMIT = r"\s*[0-9]+\s*(/|\s*per\s*)\s*([0-9]+)?\s*(second|minute|hour|day|month|year)s?\s*"
_LIMITS = re.compile(rf"{_ONE_LIMIT}([,;|]{_ONE_LIMIT})*", re.IGNORECASE)


def _rate_limits(value: str) -> str:
    if value.strip() and not _LIMITS.fullmatch(value):
        raise ValueError("must be limits such as '10 per minute;60 per hour' (empty: no limit)")
    return value.strip()


def _path_or_off(value: str) -> Path | None:
    return _path(value) if value.strip() else None


def _environment(value: str) -> str:
    if value not in ENVIRONMENTS:
        raise ValueError(f"must be one of {', '.join(ENVIRONMENTS)}")
    return value


def _locales(value: str) -> tuple[str, ...]:
    codes = tuple(code.strip() for code in value.split(",") if code.strip())
    unknown = [code for code in codes if code not in BY_CODE]
    if unknown:
        raise ValueError(f"has unknown languages {unknown}; use some of {', '.join(BY_CODE)}")
    if "ja" not in codes:
        raise ValueError("must include ja (every procedure is written in Japanese)")
    return codes


def _path(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else ROOT / path  # the project's folder, not the shell's


@dataclass(frozen=True)
class Variable:
    """One environment variable: how to read it, its default, what it is for."""

    name: str
    read: Callable[[str], Any]
    default: str | None
    about: str


#: every PORTAL_* variable the portal reads (the My Number and staff directory groups below)
VARIABLES: tuple[Variable, ...] = (
    Variable("PORTAL_ENV", _environment, "production", "production, development or test"),
    Variable("PORTAL_SECRET_KEY", _text, None, "signs the session cookie; required in production"),
    Variable("PORTAL_DATABASE_URL", _text, None, "SQLAlchemy URL (default: instance/portal.db)"),
    Variable("PORTAL_PROCEDURES_DIR", _path, "procedures", "the procedure YAML files"),
    Variable(
        "PORTAL_LOCALES", _locales, ",".join(lang.code for lang in LANGUAGES), "languages offered"
    ),
    Variable("PORTAL_SECURE_COOKIES", _flag, None, "cookies over HTTPS only (on in production)"),
    Variable("PORTAL_PROXY_HOPS", _count(0), "0", "reverse proxies in front of the portal"),
    Variable("PORTAL_BASE_URL", _text, "http://127.0.0.1:5000", "where residents reach the portal"),
    Variable("PORTAL_DRAFT_RETENTION_DAYS", _count(1), "30", "days an abandoned draft is kept"),
    Variable("PORTAL_STAFF_IDLE_MINUTES", _count(1), "30", "staff signed out after this idle time"),
    Variable("PORTAL_IDENTITY_IDLE_MINUTES", _count(1), "15", "My Number sign-in idle time"),
    Variable("PORTAL_STUB_IDP", _flag, "0", "serve the stub identity provider and directory"),
    Variable("PORTAL_SMTP_HOST", _text, "127.0.0.1", "mail server"),
    Variable("PORTAL_SMTP_PORT", _count(1), "25", "mail server port"),
    Variable("PORTAL_SMTP_SENDER", _text, "no-reply@city.yokohama.example", "From: of emails"),
    Variable("PORTAL_SMTP_USERNAME", _text, None, "mail server user"),
    Variable("PORTAL_SMTP_PASSWORD", _text, None, "mail server password"),
    Variable("PORTAL_SMTP_STARTTLS", _flag, "0", "STARTTLS to the mail server"),
    Variable("PORTAL_SMTP_TIMEOUT", _seconds, "30", "seconds to wait for the mail server"),
    Variable("PORTAL_DEV_SMTP_PORT", _count(1), "8025", "make run's local mailbox port"),
    Variable(
        "PORTAL_PROCEDURE_CACHE_DIR",
        _path_or_off,
        "instance/procedure-cache",
        "parsed procedures by file content (empty: off)",
    ),
    Variable("PORTAL_RATE_LIMIT_STORAGE", _text, "memory://", "rate-limit counters (redis://…)"),
    Variable(
        "PORTAL_RATE_LIMIT_LOOKUPS",
        _rate_limits,
        "10 per minute;60 per hour",
        "status and cancellation lookups per address",
    ),
    Variable(
        "PORTAL_RATE_LIMIT_SIGN_IN",
        _rate_limits,
        "30 per minute;300 per hour",
        "sign-in starts (staff and My Number card) per address",
    ),
    Variable(
        "PORTAL_RATE_LIMIT_FORMS",
        _rate_limits,
        "120 per minute;1200 per hour",
        "every other POST from outside the back office, per address",
    ),
    Variable("PORT", _count(1), "5000", "the port `portal serve` listens on"),
    Variable("PORTAL_WORKERS", _count(1), "2", "`portal serve` worker processes"),
    Variable("PORTAL_THREADS", _count(1), "4", "threads in each worker"),
    Variable("PORTAL_TIMEOUT", _count(1), "30", "seconds before gunicorn restarts a stuck worker"),
)

#: what every OpenID Connect sign-in is configured by
_OIDC_SETTINGS = (
    "ISSUER",
    "DISCOVERY_URL",
    "AUTHORIZATION_ENDPOINT",
    "TOKEN_ENDPOINT",
    "JWKS_URI",
    "USERINFO_ENDPOINT",
    "CLIENT_ID",
    "PRIVATE_KEY",
    "CLIENT_KEY_ID",
    "REDIRECT_URI",
    "SCOPES",
    "ACR_VALUES",
    "ACCEPTED_ACR",
    "ALGORITHMS",
)
#: the My Number card sign-in (portal/identity/README.md): PORTAL_MYNUMBER_<name>
MYNUMBER_SETTINGS = (
    *_OIDC_SETTINGS,
    "END_SESSION_ENDPOINT",
    "SIGN_TRANSACTIONS_ENDPOINT",
    "SIGNATURE_DIGEST_INFO",
    "SIGNATURE_TRUST_ANCHOR",
    "ENCRYPTION_KEY",
)
#: the staff directory sign-in (README): PORTAL_STAFF_OIDC_<name>
STAFF_OIDC_SETTINGS = _OIDC_SETTINGS


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send email."""

    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "no-reply@city.yokohama.example"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0


@dataclass(frozen=True)
class Settings:
    """The portal's settings, as the environment gave them."""

    env: str
    secret_key: str | None
    database_url: str
    procedures_dir: Path
    locales: tuple[str, ...]
    secure_cookies: bool
    proxy_hops: int
    base_url: str
    draft_retention_days: int
    staff_idle_minutes: int
    identity_idle_minutes: int
    stub_idp: bool
    smtp: SmtpSettings
    dev_smtp_port: int
    rate_limit_storage: str
    #: group (portal.rate_limits.GROUPS) → Flask-Limiter limits; empty: none
    rate_limits: Mapping[str, str]
    procedure_cache_dir: Path | None
    port: int
    workers: int
    threads: int
    timeout: int
    mynumber: Mapping[str, str | None] = field(default_factory=dict)
    staff_oidc: Mapping[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every setting; raise SettingsError naming each variable with a bad value."""
        environ = os.environ if environ is None else environ
        values, mistakes = _read_all(environ)
        if mistakes:
            raise SettingsError("\n".join(mistakes))
        env = values["PORTAL_ENV"]
        secret = values["PORTAL_SECRET_KEY"]
        if not secret and env in ("development", "test"):
            secret = secrets.token_hex(32)
        secure = values["PORTAL_SECURE_COOKIES"]
        return cls(
            env=env,
            secret_key=secret,
            database_url=values["PORTAL_DATABASE_URL"]
            or f"sqlite:///{ROOT / 'instance' / 'portal.db'}",
            procedures_dir=values["PORTAL_PROCEDURES_DIR"],
            locales=values["PORTAL_LOCALES"],
            secure_cookies=env == "production" if secure is None else secure,
            proxy_hops=values["PORTAL_PROXY_HOPS"],
            base_url=values["PORTAL_BASE_URL"],
            draft_retention_days=values["PORTAL_DRAFT_RETENTION_DAYS"],
            staff_idle_minutes=values["PORTAL_STAFF_IDLE_MINUTES"],
            identity_idle_minutes=values["PORTAL_IDENTITY_IDLE_MINUTES"],
            stub_idp=values["PORTAL_STUB_IDP"],
            smtp=SmtpSettings(
                host=values["PORTAL_SMTP_HOST"],
                port=values["PORTAL_SMTP_PORT"],
                sender=values["PORTAL_SMTP_SENDER"],
                username=values["PORTAL_SMTP_USERNAME"] or None,
                password=values["PORTAL_SMTP_PASSWORD"] or None,
                starttls=values["PORTAL_SMTP_STARTTLS"],
                timeout=values["PORTAL_SMTP_TIMEOUT"],
            ),
            dev_smtp_port=values["PORTAL_DEV_SMTP_PORT"],
            rate_limit_storage=values["PORTAL_RATE_LIMIT_STORAGE"],
            rate_limits={
                "lookups": values["PORTAL_RATE_LIMIT_LOOKUPS"],
                "sign_in": values["PORTAL_RATE_LIMIT_SIGN_IN"],
                "forms": values["PORTAL_RATE_LIMIT_FORMS"],
            },
            procedure_cache_dir=values["PORTAL_PROCEDURE_CACHE_DIR"],
            port=values["PORT"],
            workers=values["PORTAL_WORKERS"],
            threads=values["PORTAL_THREADS"],
            timeout=values["PORTAL_TIMEOUT"],
            mynumber={name: environ.get(f"PORTAL_MYNUMBER_{name}") for name in MYNUMBER_SETTINGS},
            staff_oidc={
                name: environ.get(f"PORTAL_STAFF_OIDC_{name}") for name in STAFF_OIDC_SETTINGS
            },
        )

    def flask_config(self) -> dict[str, Any]:
        """Return the Flask configuration these settings make."""
        return {
            "PORTAL_SETTINGS": self,
            "ENV_NAME": self.env,
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            # How many reverse proxies set X-Forwarded-For and -Proto: the client address
            # audited and throttled is then the one the nearest proxy saw.
            "PROXY_HOPS": self.proxy_hops,
            # Where residents reach the portal: links in emails sent outside a request use it.
            "BASE_URL": self.base_url,
            "PROCEDURES_DIR": str(self.procedures_dir),
            # Parsed procedures by file content, so workers start in a second (None: off).
            "PROCEDURE_CACHE_DIR": self.procedure_cache_dir and str(self.procedure_cache_dir),
            "PORTAL_LOCALES": list(self.locales),
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_NAME": "portal_session",
            # Longer than 20 hours, so no timing adjustment is owed (WCAG 2.2.1's exception).
            "PERMANENT_SESSION_LIFETIME": timedelta(hours=24),
            # Re-signing the cookie on every answer costs each page a serialisation; it is
            # renewed when it changes or is older than portal.web.SESSION_RENEWAL instead.
            "SESSION_REFRESH_EACH_REQUEST": False,
            "WTF_CSRF_TIME_LIMIT": None,
            "BABEL_DEFAULT_LOCALE": "ja",
            "BABEL_DEFAULT_TIMEZONE": "Asia/Tokyo",
            "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
            "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
            # Where rate-limit counters live: memory:// for one process, redis://host:port/db
            # when several processes must share them (portal.rate_limits).
            "RATELIMIT_STORAGE_URI": self.rate_limit_storage,
            "RATELIMIT_KEY_PREFIX": "portal",
            "RATE_LIMITS": dict(self.rate_limits),
            # Off: Flask-Limiter would put Retry-After on every answer, 200s included (and
            # overwrite a sign-in wait's); each 429 sets its own (portal.web, staff sign-in).
            "RATELIMIT_HEADERS_ENABLED": False,
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,  # Redis down: count in memory, never 500
            # `portal purge` deletes drafts nobody submitted or changed for this many days.
            "DRAFT_RETENTION_DAYS": self.draft_retention_days,
            "STAFF_IDLE_MINUTES": self.staff_idle_minutes,
            "IDENTITY_IDLE_MINUTES": self.identity_idle_minutes,
            "STUB_IDP_ENABLED": self.stub_idp,
            "SMTP": self.smtp,
            **{f"MYNUMBER_{name}": value for name, value in self.mynumber.items()},
            **{f"STAFF_OIDC_{name}": value for name, value in self.staff_oidc.items()},
        }


def _read_all(environ: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    mistakes: list[str] = []
    for variable in VARIABLES:
        raw = environ.get(variable.name)
        if raw is None:
            raw = variable.default
        if raw is None:
            values[variable.name] = None
            continue
        try:
            values[variable.name] = variable.read(raw)
        except ValueError as error:
            mistakes.append(f"{variable.name}={raw!r}: {error}")
    return values, mistakes


def from_environment() -> dict[str, Any]:
    """Return the Flask configuration the environment asks for (raises SettingsError)."""
    return Settings.from_environ().flask_config()
