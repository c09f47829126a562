"""Checks of the settings several types share, each where the clerk wrote the setting."""

from __future__ import annotations

from portal.procedure import autofill
from portal.procedure.findings import Finding, Location
from portal.procedure.question import Autocomplete, Lengths, Options, Pattern, Question


def shared_problems(field: Question, at: Location, autofill_control: str | None) -> list[Finding]:
    """Return the mistakes in the shared settings (`options`, lengths, pattern, autocomplete)."""
    found: list[Finding] = []
    if isinstance(field, Options):
        found += _option_problems(field, at)
    if isinstance(field, Lengths) and _over(field.min_length, field.max_length):
        found.append(Finding((*at, "min_length"), "`min_length` is larger than `max_length`"))
    if isinstance(field, Pattern) and field.pattern_message is not None and field.pattern is None:
        message = (
            "`pattern_message` is shown when an answer does not match `pattern`; "
            "add a `pattern` or remove it"
        )
        found.append(Finding((*at, "pattern_message"), message, at_key=True))
    if isinstance(field, Autocomplete) and field.autocomplete and autofill_control is not None:
        wrong = autofill.problem(field.autocomplete, autofill_control)
        if wrong:
            found.append(Finding((*at, "autocomplete"), wrong))
    return found


def _option_problems(field: Options, at: Location) -> list[Finding]:
    if not field.options:
        kind = getattr(field, "type", "")
        message = f"a {kind} question needs `options` (a list of value and label)"
        return [Finding((*at, "type"), message)]
    found: list[Finding] = []
    values = [option.value for option in field.options]
    for o, value in enumerate(values):
        if value in values[:o]:
            message = f"option value {value!r} is used twice in this question"
            found.append(Finding((*at, "options", o, "value"), message))
    return found


def range_problems(low: int | None, high: int | None, at: Location) -> list[Finding]:
    """Refuse a `min` larger than `max`."""
    return [Finding((*at, "min"), "`min` is larger than `max`")] if _over(low, high) else []


def _over(low: int | None, high: int | None) -> bool:
    return low is not None and high is not None and low > high
