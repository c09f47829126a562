"""The procedures being served, loaded once at start-up."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from portal.procedure.cache import ProcedureCache
from portal.procedure.folder import load_all, procedure_files
from portal.procedure.loader import Problem
from portal.procedure.model import Procedure

log = logging.getLogger(__name__)


_loaded: dict[tuple, tuple[dict[str, Procedure], list[Problem]]] = {}


def _load_unless_unchanged(
    paths: tuple[Path, ...], cache: ProcedureCache | None, parallel: bool
) -> tuple[dict[str, Procedure], list[Problem]]:
    # Procedures are immutable, so apps in one process (tests, workers) can share them
    # for as long as no file under `paths` has changed.
    stamp = tuple(
        (str(file), file.stat().st_mtime_ns, file.stat().st_size) for file in procedure_files(paths)
    )
    key = (paths, stamp)
    if key not in _loaded:
        _loaded[key] = load_all(paths, cache, parallel=parallel)
    return _loaded[key]


def preload(paths: Iterable[Path], cache_folder: Path | None) -> None:
    """Parse the procedures under `paths` on every core, for the app this process makes next.

    Only for a process that holds no threads or connections yet: `portal serve`, before
    it creates the app its workers fork from.
    """
    cache = ProcedureCache(cache_folder) if cache_folder else None
    _load_unless_unchanged(tuple(paths), cache, parallel=True)


class ProcedureRegistry:
    """id → Procedure, for every valid file; broken files are refused and logged."""

    def __init__(self, procedures: dict[str, Procedure], problems: list[Problem]):
        self._procedures = procedures
        self.problems = problems

    @classmethod
    def from_paths(
        cls, paths: Iterable[Path], cache_folder: Path | None = None
    ) -> ProcedureRegistry:
        """Load the procedures under `paths`; with `cache_folder`, unchanged files parse once."""
        cache = ProcedureCache(cache_folder) if cache_folder else None
        procedures, problems = _load_unless_unchanged(tuple(paths), cache, parallel=False)
        for problem in problems:
            log.error("procedure refused: %s", problem)
        return cls(procedures, problems)

    def all(self) -> list[Procedure]:
        """Return every procedure, in id order."""
        return [self._procedures[key] for key in sorted(self._procedures)]

    def get(self, procedure_id: str) -> Procedure | None:
        """Return the procedure with `procedure_id`, if it is served."""
        return self._procedures.get(procedure_id)
