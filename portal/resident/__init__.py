"""The resident side: catalog, questions, check answers, submit, status, cancellation."""

from flask import Blueprint

blueprint = Blueprint("resident", __name__)

# Routes register on import, so the modules come after the blueprint they use.
from portal.resident import cancellation, views  # noqa: E402,F401
