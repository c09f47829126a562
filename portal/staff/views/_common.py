"""What several back-office views share."""

from __future__ import annotations

from flask import abort, current_app

from portal.procedure.model import Procedure


def procedures() -> list[Procedure]:
    """Return every procedure being served."""
    return current_app.extensions["portal.procedures"].all()


def procedure_or_none(procedure_id: str) -> Procedure | None:
    """Return the served procedure with this id, if any."""
    return current_app.extensions["portal.procedures"].get(procedure_id)


def procedure_or_404(procedure_id: str) -> Procedure:
    """Return the served procedure with this id, or answer 404."""
    return procedure_or_none(procedure_id) or abort(404)
