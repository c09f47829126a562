"""Every procedure file under some paths: unchanged files read from the cache, the rest parsed.

A file is parsed once per content (see cache.py), with its advice: `portal check` of a folder
whose files did not change reads each from the cache and prints the same warnings. Many
files to parse are shared out over the machine's cores when the caller allows it (`portal
check` does; a web worker, which may hold threads and connections, does not fork).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from portal.procedure import loader
from portal.procedure.advice import advise, file_name_advice
from portal.procedure.cache import ProcedureCache
from portal.procedure.loader import Found, Position, Problem, ProcedureFileError
from portal.procedure.model import Procedure

log = logging.getLogger(__name__)

#: files to parse before it pays to start processes for them (a process costs about 0.2 s)
PARALLEL_FROM = 24


@dataclass(frozen=True)
class Loaded:
    """A procedure file that loaded: the procedure, where its id is, the advice it breaks."""

    procedure: Procedure
    id_position: Position
    advice: tuple[Found, ...]


def procedure_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their *.yaml files, sorted."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return found


def _parse(path: Path, content: bytes) -> Loaded | list[Problem]:
    """Load one file; return what loaded, or every problem in it."""
    try:
        procedure, positions = loader.parse(path, content)
    except ProcedureFileError as error:
        return error.problems
    except Exception as error:  # one file the loader trips over must not stop the others
        log.exception("loading %s failed", path)
        message = f"the loader failed on this file ({type(error).__name__}: {error}); report it"
        return [Problem(str(path), 1, 1, message)]
    advice = tuple(loader.place(advise(procedure), positions))
    return Loaded(procedure, positions.of_value(("id",)), advice)


def _parse_file(item: tuple[Path, bytes]) -> Loaded | list[Problem]:
    return _parse(*item)


def _parse_all(items: list[tuple[Path, bytes]], parallel: bool) -> list[Loaded | list[Problem]]:
    workers = min(os.cpu_count() or 1, len(items) // (PARALLEL_FROM // 2))
    if not parallel or workers < 2:
        return [_parse(path, content) for path, content in items]
    # fork: the children already hold the engine this process imported
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_parse_file, items, chunksize=max(1, len(items) // (workers * 4))))


def _outcomes(
    files: list[Path], cache: ProcedureCache | None, parallel: bool
) -> list[Loaded | list[Problem]]:
    """Return each file's outcome, from `cache` where its content was loaded before."""
    contents = [file.read_bytes() for file in files]
    keys = [cache.key(content) for content in contents] if cache else [None] * len(files)
    known = [cache.get(key) if cache and key else None for key in keys]
    known = [entry if isinstance(entry, Loaded) else None for entry in known]
    missing = [i for i, entry in enumerate(known) if entry is None]
    parsed = _parse_all([(files[i], contents[i]) for i in missing], parallel)
    outcomes: list[Loaded | list[Problem] | None] = list(known)
    for i, outcome in zip(missing, parsed, strict=True):
        outcomes[i] = outcome
        if cache and isinstance(outcome, Loaded):  # broken files are parsed (and told) each time
            cache.put(keys[i], outcome)
    return outcomes  # type: ignore[return-value]


def load_all(
    paths: Iterable[Path],
    cache: ProcedureCache | None = None,
    *,
    warnings: list[Problem] | None = None,
    parallel: bool = False,
) -> tuple[dict[str, Procedure], list[Problem]]:
    """Load every procedure under `paths`; broken files are left out and reported.

    With a `cache`, a file whose content was loaded before is not parsed again. Given a
    `warnings` list, the staff guide's advice each loaded file does not follow is added to
    it (`portal check` prints them; with --strict they fail the check). With `parallel`,
    many files are parsed in several processes.
    """
    procedures: dict[str, Procedure] = {}
    problems: list[Problem] = []
    origin: dict[str, Path] = {}
    files = procedure_files(paths)
    for path, outcome in zip(files, _outcomes(files, cache, parallel), strict=True):
        if not isinstance(outcome, Loaded):
            problems += outcome
            continue
        procedure = outcome.procedure
        if procedure.id in procedures:
            message = f"id {procedure.id!r} is already used by {origin[procedure.id]}"
            problems.append(
                Problem(str(path), *outcome.id_position, f"{message}; ids must be unique")
            )
            continue
        procedures[procedure.id] = procedure
        origin[procedure.id] = path
        if warnings is not None:
            misnamed = file_name_advice(procedure, path)
            found = [*outcome.advice, *([(outcome.id_position, misnamed)] if misnamed else [])]
            warnings += [Problem(str(path), *at, f"warning: {message}") for at, message in found]
    return procedures, problems
