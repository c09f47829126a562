"""A mistake found in a procedure, before it knows its line and column."""

from __future__ import annotations

from typing import NamedTuple

#: where a part is in the procedure: keys and list indexes, as the clerk wrote them
Location = tuple[str | int, ...]


class Finding(NamedTuple):
    """One mistake: where it is, what to tell the clerk, and whether it is about the key itself."""

    at: Location
    message: str
    at_key: bool = False


def shown(value: object) -> str:
    """Return a value as the clerk writes it in YAML: true, 3, 'parks'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)
