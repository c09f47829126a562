"""The time, from one place, so tests can set it instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app


def now() -> datetime:
    """Return the current time (timezone-aware); tests set app.config['CLOCK']."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else datetime.now(UTC)
