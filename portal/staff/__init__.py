"""The staff back office: sign-in, submissions, status workflow, exports, audit, preview."""

from flask import Blueprint

blueprint = Blueprint("staff", __name__, url_prefix="/staff")

from portal.staff import guard, views  # noqa: E402,F401  (hooks and routes register on import)
