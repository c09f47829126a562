"""Rate limits per client address on lookups and sign-ins anyone can try, with Flask-Limiter.

The counters live where PORTAL_RATE_LIMIT_STORAGE says: memory for one process (the embedded
default), Redis when several processes must count together. A request over a limit gets 429
and a page in the visitor's language saying when to try again (portal.web).
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

#: endpoint → limits on its POSTs from one address: guessing a reference number and email
#: (or a password) takes thousands of tries; a person needs a few.
LIMITS = {
    "resident.status": "10 per minute;60 per hour",
    "resident.cancel": "10 per minute;60 per hour",
    # Above the sign-in throttle (portal.staff.accounts), which counts failures: this one
    # spares the password hashing from being hammered at all.
    "staff.sign_in": "30 per minute;300 per hour",
}

EXTENSION = "portal.limiter"


def init_app(app: Flask) -> None:
    """Give `app` its own limiter and put LIMITS on its views (after the blueprints)."""
    # One Limiter per app: Flask-Limiter keeps its storage on the instance, not on the app.
    limiter = Limiter(get_remote_address, app=app)
    for endpoint, limits in LIMITS.items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(limits, methods=["POST"])(view)
    app.extensions[EXTENSION] = limiter


def seconds_until_allowed() -> int:
    """Return how many seconds until the limit this request broke lets the address try again."""
    limiter: Limiter | None = current_app.extensions.get(EXTENSION)
    broken = limiter.current_limit if limiter is not None else None
    if broken is None:
        return 60
    return max(1, math.ceil(broken.reset_at - time.time()))
