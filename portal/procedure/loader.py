"""Read procedure YAML into `Procedure`s, reporting every mistake as file:line:col: message."""

from __future__ import annotations

import difflib
import logging
import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from portal.procedure.checks import Location, check_procedure
from portal.procedure.model import Procedure

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a procedure file, where a clerk can find it."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ProcedureFileError(Exception):
    """A procedure file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class _StrictLoader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false, so `equals: yes` stays the text 'yes'."""


_StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class _Positions:
    """Where each value (and each mapping key) of a document starts."""

    values: dict[Location, tuple[int, int]]
    keys: dict[Location, tuple[int, int]]

    def of_value(self, loc: Location) -> tuple[int, int]:
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def of_key(self, loc: Location) -> tuple[int, int]:
        return self.keys.get(loc) or self.of_value(loc)


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _to_python(node: Node, loc: Location, pos: _Positions, duplicates: list[tuple[Location, str]],
               constructor: yaml.SafeLoader) -> Any:
    pos.values[loc] = _mark(node)
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(constructor.construct_object(key_node))
            here = (*loc, key)
            if key in result:
                pos.keys[here] = _mark(key_node)
                duplicates.append((here, f"key {key!r} appears twice here; keep one"))
                continue
            pos.keys[here] = _mark(key_node)
            result[key] = _to_python(value_node, here, pos, duplicates, constructor)
        return result
    if isinstance(node, SequenceNode):
        return [_to_python(item, (*loc, i), pos, duplicates, constructor) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return constructor.construct_object(node)


def load_text(text: str, filename: str) -> Procedure:
    """Parse and validate one procedure; raise ProcedureFileError with every problem found."""

    def problem(at: tuple[int, int], message: str) -> Problem:
        return Problem(filename, at[0], at[1], message)

    constructor = _StrictLoader("")
    try:
        root = yaml.compose(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        at = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ProcedureFileError([problem(at, f"this is not valid YAML: {error.problem}")]) from None
    if not isinstance(root, MappingNode):
        raise ProcedureFileError([problem((1, 1), "a procedure file must be a mapping of keys (id:, title:, pages: …)")])
    pos = _Positions({}, {})
    duplicates: list[tuple[Location, str]] = []
    data = _to_python(root, (), pos, duplicates, constructor)
    problems = [problem(pos.of_key(loc), message) for loc, message in duplicates]
    try:
        procedure = Procedure.model_validate(data)
    except ValidationError as error:
        problems += [problem(*_explain(e, pos)) for e in error.errors()]
        raise ProcedureFileError(sorted(problems)) from None
    problems += [problem(pos.of_value(loc), message) for loc, message in check_procedure(procedure)]
    if problems:
        raise ProcedureFileError(sorted(problems))
    return procedure


def load_file(path: Path) -> Procedure:
    """Load one procedure file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ProcedureFileError([Problem(str(path), 1, 1, f"the file is not UTF-8 text ({error.reason}); save it as UTF-8")]) from None
    return load_text(text, str(path))


def procedure_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their *.yaml files, sorted."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return found


def load_all(paths: Iterable[Path]) -> tuple[dict[str, Procedure], list[Problem]]:
    """Load every procedure under `paths`; broken files are left out and reported."""
    procedures: dict[str, Procedure] = {}
    problems: list[Problem] = []
    origin: dict[str, Path] = {}
    for path in procedure_files(paths):
        try:
            procedure = load_file(path)
        except ProcedureFileError as error:
            problems += error.problems
            continue
        if procedure.id in procedures:
            problems.append(Problem(str(path), 1, 1, f"id {procedure.id!r} is already used by {origin[procedure.id]}; ids must be unique"))
            continue
        procedures[procedure.id] = procedure
        origin[procedure.id] = path
    return procedures, problems


# --- turning pydantic's findings into sentences for a clerk -------------------------------

_FRIENDLY = {
    "string_pattern_mismatch": "{what} {value!r} may only use lowercase letters, digits and {sep}, starting with a letter",
    "missing": "{key!r} is missing here; add it",
    "bool_type": "{what} must be true or false",
    "bool_parsing": "{what} must be true or false",
    "int_parsing": "{what} must be a whole number",
    "int_type": "{what} must be a whole number",
    "datetime_from_date_parsing": "{what} must be a date and time, like 2026-12-01 09:00",
    "datetime_parsing": "{what} must be a date and time, like 2026-12-01 09:00",
    "datetime_type": "{what} must be a date and time, like 2026-12-01 09:00",
    "list_type": "{what} must be a list (lines starting with '- ')",
    "dict_type": "{what} must be a mapping of keys",
    "model_type": "{what} must be a mapping of keys",
    "string_type": "{what} must be text",
    "too_short": "{what} needs at least one entry",
    "greater_than_equal": "{what} must be {ge} or more",
    "less_than_equal": "{what} must be {le} or less",
}


def _explain(error: dict[str, Any], pos: _Positions) -> tuple[tuple[int, int], str]:
    loc: Location = tuple(error["loc"])
    kind = error["type"]
    key = next((part for part in reversed(loc) if isinstance(part, str)), "value")
    if kind == "extra_forbidden":
        known = _keys_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; allowed here: {', '.join(known)}"
        return pos.of_key(loc), f"unknown key {loc[-1]!r}{hint}"
    if kind == "literal_error":
        expected = error["ctx"]["expected"]
        return pos.of_value(loc), f"{key!r} must be one of {expected}"
    if kind == "value_error":
        return pos.of_value(loc), str(error["ctx"]["error"])
    if kind == "missing":
        return pos.of_value(loc[:-1]), _FRIENDLY[kind].format(key=key)
    template = _FRIENDLY.get(kind)
    if template is None:
        return pos.of_value(loc), f"{key!r}: {error['msg']}"
    # procedure and page ids are URL parts (hyphens); question ids are names (underscores)
    is_slug = loc == ("id",) or (len(loc) == 3 and loc[0] == "pages")
    sep = "hyphens" if is_slug else "underscores"
    return pos.of_value(loc), template.format(
        what=f"{key!r}", value=error.get("input"), sep=sep, **(error.get("ctx") or {})
    )


def _keys_at(loc: Location) -> list[str]:
    """Return the keys the model allows at `loc` (for 'did you mean' hints)."""
    annotation: Any = Procedure
    for part in loc:
        model = _model_in(annotation)
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = next((f for name, f in model.model_fields.items() if (f.alias or name) == part), None)
        if field is None:
            return []
        annotation = field.annotation
    model = _model_in(annotation)
    return sorted((f.alias or name) for name, f in model.model_fields.items()) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (typing.Union, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None
