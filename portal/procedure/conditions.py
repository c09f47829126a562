"""Evaluate show/skip rules against the answers given so far."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.procedure.model import Answer, Condition


def matches(answer: Any, expected: Answer) -> bool:
    """Tell whether a stored answer is the value a rule names.

    true/false match only the answer of a consent question (True when ticked); anything else
    is compared as text, so `equals: 1` matches the option '1'. For checkboxes, the answer
    matches when the value is among the ticked options.
    """
    if isinstance(answer, list):
        return any(matches(item, expected) for item in answer)
    if isinstance(expected, bool) or isinstance(answer, bool):
        return answer is expected
    return str(answer) == str(expected)


def holds(rule: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Tell whether `rule` holds; no rule always holds.

    A question not answered (or hidden) equals nothing and is `not_equals` everything;
    an unticked consent box is not answered.
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
        return matches(answer, rule.equals)
    if rule.not_equals is not None:
        return not matches(answer, rule.not_equals)
    return any(matches(answer, value) for value in rule.in_ or [])
