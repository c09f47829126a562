"""Time limits: sessions, forms and sign-ins that expire (2.2.1)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from accessibility_tests.findings import Finding, Where
from accessibility_tests.snapshot import Facts

#: WCAG 2.2.1's 20-hour exception: a longer limit needs no warning
TWENTY_HOURS = timedelta(hours=20)
#: limits the resident cannot see or extend on the page: they must be 20 hours or more
SILENT = ("PERMANENT_SESSION_LIFETIME", "WTF_CSRF_TIME_LIMIT")


def limits(app: Flask) -> dict[str, timedelta | None]:
    """Return the time limits the app puts on a resident (None: no limit)."""
    csrf = app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
    idle = app.config.get("IDENTITY_IDLE_MINUTES")
    return {
        "PERMANENT_SESSION_LIFETIME": app.config.get("PERMANENT_SESSION_LIFETIME"),
        "WTF_CSRF_TIME_LIMIT": timedelta(seconds=csrf) if csrf else None,
        "IDENTITY_IDLE_MINUTES": timedelta(minutes=idle) if idle else None,
    }


def silent_limits(app: Flask, where: Where) -> list[Finding]:
    """Return a finding for each limit shorter than 20 hours that no page warns about."""
    return [
        Finding(
            where,
            "2.2.1",
            "time-limit",
            f"app.config[{name!r}]",
            f"a resident's session or form expires after {limit}, without warning",
            "keep it at 20 hours or more, or warn at least 20 seconds before it expires "
            "and offer a way to extend it",
        )
        for name, limit in limits(app).items()
        if name in SILENT and limit is not None and limit < TWENTY_HOURS
    ]


def extend_offered(facts: Facts, where: Where, limit: timedelta) -> list[Finding]:
    """Return a finding unless a signed-in page offers a button that extends the sign-in."""
    if facts["extend"]:
        return []
    return [
        Finding(
            where,
            "2.2.1",
            "sign-in-can-be-extended",
            "body",
            f"the sign-in ends after {limit} idle, and this page offers no way to extend it",
            "show when the sign-in ends, with a button (a form posting to …/extend) that "
            "extends it, on every page reached while signed in",
        )
    ]
