"""Rate limits per client address on every POST anyone can send, with Flask-Limiter.

Each such endpoint falls in a group whose limits PORTAL_RATE_LIMIT_<GROUP> sets: the lookups
(guessing a reference number and email takes thousands of tries; a person needs a few), the
sign-in starts, and every other form from outside the back office. Which endpoints these are
is read from the app's routes, so a new form is limited without being listed here. The
counters live where PORTAL_RATE_LIMIT_STORAGE says: memory for one process (the embedded
default), Redis when several processes must count together. A request over a limit gets 429
and a page in the visitor's language saying when to try again (portal.web).
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

#: endpoints with limits of their own; every other POST anyone can send is in "forms"
GROUPS = {
    "resident.status": "lookups",
    "resident.cancel": "lookups",
    # Above the sign-in throttle (portal.staff.throttle), which counts failures: this one
    # spares the password hashing, and the providers, from being hammered at all.
    "staff.sign_in": "sign_in",
    "staff.directory_sign_in_start": "sign_in",
    "identity.sign_in": "sign_in",
}
DEFAULT_GROUP = "forms"
#: blueprints standing in for services outside the portal (the stub providers of `make run`)
STAND_INS = frozenset({"stub_idp", "stub_directory"})

EXTENSION = "portal.limiter"


def public_posts(app: Flask) -> list[str]:
    """Return the endpoints that take a POST from anyone not signed in to the back office."""
    from portal.staff.guard import PUBLIC_ENDPOINTS

    found = set()
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.partition(".")[0]
        if "POST" not in (rule.methods or ()) or blueprint in STAND_INS:
            continue
        if blueprint == "staff" and rule.endpoint not in PUBLIC_ENDPOINTS:
            continue  # the staff guard lets only signed-in members this far
        found.add(rule.endpoint)
    return sorted(found)


def group_of(endpoint: str) -> str:
    """Return the limit group an endpoint's POSTs count in."""
    return GROUPS.get(endpoint, DEFAULT_GROUP)


def init_app(app: Flask) -> None:
    """Give `app` its own limiter and limit every public POST (after the blueprints)."""
    # One Limiter per app: Flask-Limiter keeps its storage on the instance, not on the app.
    limiter = Limiter(get_remote_address, app=app)
    configured = app.config.get("RATE_LIMITS") or {}
    for endpoint in public_posts(app):
        group = group_of(endpoint)
        limits = configured.get(group)
        if not limits:
            continue
        # Shared: a group's endpoints use up one count (guessing at /status and /cancel alike).
        limit = limiter.shared_limit(limits, scope=group, methods=["POST"])
        app.view_functions[endpoint] = limit(app.view_functions[endpoint])
    app.extensions[EXTENSION] = limiter


def seconds_until_allowed() -> int:
    """Return how many seconds until the limit this request broke lets the address try again."""
    limiter: Limiter | None = current_app.extensions.get(EXTENSION)
    broken = limiter.current_limit if limiter is not None else None
    if broken is None:
        return 60
    return max(1, math.ceil(broken.reset_at - time.time()))
