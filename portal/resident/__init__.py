"""The resident side: catalog, questions, check answers, submit, status."""

from flask import Blueprint

blueprint = Blueprint("resident", __name__)

from portal.resident import views  # noqa: E402,F401  (routes register on import)
from portal.resident import cancellation  # noqa: E402,F401
