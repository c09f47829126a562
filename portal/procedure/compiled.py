"""What is worked out once per procedure and kept as long as it is served.

A `Procedure` (and each of its pages and questions) is immutable and one version of its
file: what follows from it alone — a page's form class in a language, the languages its
texts are written in — is computed on first use and dropped with the object.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: id(object) → {key: value}; an entry goes when its object is garbage collected
_memos: dict[int, dict[Hashable, Any]] = {}


def once_per(owner: object, key: Hashable, build: Callable[[], T]) -> T:
    """Return what `build()` gives for (`owner`, `key`), building it the first time only."""
    memo = _memos.get(id(owner))
    if memo is None:
        memo = _memos[id(owner)] = {}
        weakref.finalize(owner, _memos.pop, id(owner), None)
    if key not in memo:  # two threads may both build: the same value, the last one kept
        memo[key] = build()
    return memo[key]
