"""The audit trail, for administrators: read only, there is no route that changes it."""

from __future__ import annotations

from flask import render_template, request

from portal.extensions import db
from portal.staff import guard
from portal.staff.audit import ACTIONS, search
from portal.staff.views.blueprint import blueprint
from portal.submissions.reference import normalise_reference_number


@blueprint.get("/audit")
def audit_trail():
    guard.require_admin()
    wanted = {
        "action": request.args.get("action") if request.args.get("action") in ACTIONS else None,
        "procedure_id": request.args.get("procedure") or None,
        "reference_number": (
            normalise_reference_number(request.args["reference"])
            if request.args.get("reference")
            else None
        ),
        "actor": request.args.get("actor") or None,
    }
    page = search(db.session, **wanted, page=request.args.get("page", 1, type=int))
    return render_template(
        "staff/audit.html",
        result=page,
        wanted=wanted,
        actions=ACTIONS,
        args={k: v for k, v in request.args.items() if k != "page"},
    )
