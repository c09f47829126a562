"""The resident views stay thin: each route reads the request, calls a service and answers;
the work lives in the journey, the services and the field types."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: the longest a resident route may be, decorators and docstring included
MOST_LINES = 30


def _routes(path: Path) -> list[tuple[str, int]]:
    """Return (name, lines) of each function in `path` that a blueprint routes to."""
    routes = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr in {"get", "post", "route"}
            for d in node.decorator_list
        ):
            routes.append((node.name, node.end_lineno - node.lineno + 1))
    return routes


@pytest.mark.parametrize("module", sorted((ROOT / "portal" / "resident").glob("*.py")), ids=str)
def test_every_resident_route_is_at_most_thirty_lines(module: Path):
    long = [f"{name} ({lines} lines)" for name, lines in _routes(module) if lines > MOST_LINES]
    assert not long, f"{module.name}: move the work out of {', '.join(long)}"


def test_the_route_finder_finds_the_resident_routes():
    names = {name for name, _lines in _routes(ROOT / "portal" / "resident" / "views.py")}
    assert {"catalog", "start", "question", "check", "complete", "status"} <= names
