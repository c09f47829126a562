"""Evaluate show/skip rules against the answers given so far."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.procedure.model import Condition


def _same(answer: Any, expected: Any) -> bool:
    if isinstance(answer, list):
        return any(_same(item, expected) for item in answer)
    if isinstance(expected, bool) or isinstance(answer, bool):
        return bool(answer) is expected if isinstance(expected, bool) else False
    return str(answer) == str(expected)


def holds(rule: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Tell whether `rule` holds; no rule always holds.

    A question not answered (or hidden) equals nothing and is `not_equals` everything.
    For checkboxes, `equals: x` holds when x is among the ticked options.
    """
    if rule is None:
        return True
    if rule.all is not None:
        return all(holds(sub, answers) for sub in rule.all)
    if rule.any is not None:
        return any(holds(sub, answers) for sub in rule.any)
    answer = answers.get(rule.field)
    if rule.answered is not None:
        return (answer not in (None, "", [])) is rule.answered
    if answer in (None, "", []):
        return rule.not_equals is not None
    if rule.equals is not None:
        return _same(answer, rule.equals)
    if rule.not_equals is not None:
        return not _same(answer, rule.not_equals)
    return any(_same(answer, value) for value in rule.in_ or [])
