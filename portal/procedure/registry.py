"""The procedures being served, loaded once at start-up."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from portal.procedure.loader import Problem, load_all
from portal.procedure.model import Procedure

log = logging.getLogger(__name__)


class ProcedureRegistry:
    """id → Procedure, for every valid file; broken files are refused and logged."""

    def __init__(self, procedures: dict[str, Procedure], problems: list[Problem]):
        self._procedures = procedures
        self.problems = problems

    @classmethod
    def from_paths(cls, paths: Iterable[Path]) -> ProcedureRegistry:
        procedures, problems = load_all(paths)
        for problem in problems:
            log.error("procedure refused: %s", problem)
        return cls(procedures, problems)

    def all(self) -> list[Procedure]:
        """Return every procedure, in id order."""
        return [self._procedures[key] for key in sorted(self._procedures)]

    def get(self, procedure_id: str) -> Procedure | None:
        """Return the procedure with `procedure_id`, if it is served."""
        return self._procedures.get(procedure_id)
