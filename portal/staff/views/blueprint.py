"""The back office's blueprint; the modules beside it add its routes, portal.staff.guard its hooks."""

from flask import Blueprint

blueprint = Blueprint("staff", "portal.staff", url_prefix="/staff")
