"""An answer that matches a clerk's `pattern:`, so tests and the audit can fill any procedure.

Deterministic (the same pattern always gives the same answer) and built from the pattern
itself with Python's own regular-expression parser, then checked with `fullmatch` after the
same normalisation residents' input gets. None when no answer is found (lookarounds,
back-references, sets nothing survives NFKC): `portal check` then says the question cannot
be filled automatically.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_CATEGORY_CHARS = {
    sre_constants.CATEGORY_DIGIT: "1",
    sre_constants.CATEGORY_NOT_DIGIT: "a",
    sre_constants.CATEGORY_WORD: "a",
    sre_constants.CATEGORY_NOT_WORD: "-",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: "a",
}
#: tried in turn for `.` and negated sets
_ANY = "a1A-あア横 "


class _Unsupported(Exception):
    pass


def example_matching(
    pattern: str,
    min_length: int | None = None,
    max_length: int | None = None,
    normalise: Callable[[str], str] | None = None,
) -> str | None:
    """Return a string that `pattern` matches as a whole, within the length limits."""
    normalise = normalise or (lambda text: unicodedata.normalize("NFKC", text).strip())
    try:
        compiled = re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return None
    low, high = min_length or 0, max_length
    for extra in range(0, max(low, 1) + 8):
        for choice in range(3):
            try:
                text = _build(parsed, extra, choice)
            except (_Unsupported, RecursionError):
                return None
            if high is not None and len(text) > high:
                continue
            if len(text) >= low and compiled.fullmatch(normalise(text)):
                return text
    return None


def _build(parsed, extra: int, choice: int) -> str:
    """Write the pattern out: repeats at their minimum plus `extra`, the `choice`-th char."""
    out: list[str] = []
    for op, arg in parsed:
        out.append(_one(op, arg, extra, choice))
    return "".join(out)


def _one(op, arg, extra: int, choice: int) -> str:
    if op is sre_constants.LITERAL:
        return chr(arg)
    if op is sre_constants.NOT_LITERAL:
        return next(c for c in _ANY if ord(c) != arg)
    if op is sre_constants.ANY:
        return _ANY[choice % len(_ANY)]
    if op is sre_constants.IN:
        return _from_set(arg, choice)
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, _POSSESSIVE):
        least, most, body = arg
        count = least + extra
        if most is not sre_constants.MAXREPEAT:
            count = min(count, most)
        return "".join(_build(body, 0, choice) for _ in range(count))
    if op is sre_constants.SUBPATTERN:
        return _build(arg[-1], extra, choice)
    if op is _ATOMIC:
        return _build(arg, extra, choice)
    if op is sre_constants.BRANCH:
        branches = arg[1]
        return _build(branches[choice % len(branches)], extra, choice)
    if op is sre_constants.AT:
        return ""
    raise _Unsupported(op)


def _from_set(items, choice: int) -> str:
    negated = bool(items) and items[0][0] is sre_constants.NEGATE
    if negated:
        refused = _set_matcher(items[1:])
        allowed = [c for c in _ANY if not refused(c)]
        if not allowed:
            raise _Unsupported("set")
        return allowed[choice % len(allowed)]
    candidates: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            candidates.append(chr(arg))
        elif op is sre_constants.RANGE:
            first, last = arg
            candidates += [chr(first), chr(last), chr((first + last) // 2)]
        elif op is sre_constants.CATEGORY:
            candidates.append(_CATEGORY_CHARS.get(arg, "a"))
    if not candidates:
        raise _Unsupported("set")
    return candidates[choice % len(candidates)]


def _set_matcher(items) -> Callable[[str], bool]:
    def refused(char: str) -> bool:
        for op, arg in items:
            if op is sre_constants.LITERAL and ord(char) == arg:
                return True
            if op is sre_constants.RANGE and arg[0] <= ord(char) <= arg[1]:
                return True
            if op is sre_constants.CATEGORY:
                probe = {
                    sre_constants.CATEGORY_DIGIT: r"\d",
                    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
                    sre_constants.CATEGORY_WORD: r"\w",
                    sre_constants.CATEGORY_NOT_WORD: r"\W",
                    sre_constants.CATEGORY_SPACE: r"\s",
                    sre_constants.CATEGORY_NOT_SPACE: r"\S",
                }.get(arg)
                if probe and re.fullmatch(probe, char):
                    return True
        return False

    return refused


_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", object())
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", object())
