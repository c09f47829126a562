"""Drive a browser tab, in either harness, through the journeys and audit each state."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from accessibility_tests.answers import personalised
from accessibility_tests.crawl import reference_of
from accessibility_tests.journey import Journey, Step, Visit
from accessibility_tests.tabs import Tab

REFERENCE_NUMBER = re.compile(r"YKH-[0-9A-Z]{4}-[0-9A-Z]{4}")
T = TypeVar("T")


@dataclass
class WalkResult(Generic[T]):
    """What each visit's audit returned, and why any visit was not reached."""

    audits: dict[str, T] = field(default_factory=dict)
    unreached: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)

    def reached(self, visit: Visit) -> T:
        """Return the audit of `visit`, failing the test if the walk never got there."""
        if visit.id not in self.audits:
            reason = self.unreached.get(visit.id, "no journey leads there")
            pytest.fail(f"{visit.id} was not audited: {reason}", pytrace=False)
        return self.audits[visit.id]


def walk(
    journeys: list[Journey],
    tab_for: Callable[[Journey], Tab],
    audit: Callable[[Tab, Visit], T],
    arrange: Callable[[str], str | None],
) -> WalkResult[T]:
    """Run every journey, auditing each visit; a journey that goes astray stops there.

    `arrange` puts the walked app's event seats in the situation an `arrange` step names, or
    returns the path of an emailed link (which no browser can read), which the tab opens.
    """
    result: WalkResult[T] = WalkResult()
    references: dict[str, tuple[str, str]] = {}
    for journey in journeys:
        tab = tab_for(journey)
        token = uuid.uuid4().hex[:10]
        for index, step in enumerate(journey.steps):
            try:
                if step.action == "arrange":
                    opened = arrange(step.target)
                    if opened:
                        tab.open(opened)
                else:
                    _take(tab, step, references, token)
                if step.visit is None and step.action == "submit":
                    _remember_unaudited_reference(tab, references, token)
                if step.visit is not None:
                    _arrived(tab, step.visit)
                    result.urls[step.visit.id] = tab.url()
                    result.audits[step.visit.id] = audit(tab, step.visit)
                    if step.visit.page.endswith("/complete"):
                        _remember_reference(tab, step.visit, references, token)
            except Exception as error:  # reported for every visit it leaves unreached
                reason = (
                    f"journey {journey.name!r} stopped at step {index + 1} "
                    f"({step.action} {step.target}) on {_safe_url(tab)}: "
                    f"{str(error).strip().splitlines()[0] if str(error).strip() else repr(error)}"
                )
                for missed in journey.steps[index:]:
                    if missed.visit is not None:
                        result.unreached[missed.visit.id] = reason
                break
    return result


class Astray(AssertionError):
    """The app showed another page than the journey expects."""


def _take(tab: Tab, step: Step, references: dict[str, tuple[str, str]], token: str) -> None:
    if step.action == "open":
        tab.open(step.target)
    elif step.action == "submit":
        tab.submit(step.target)
    elif step.action == "clear_cookies":
        tab.clear_cookies()
    elif step.action == "relocalize":
        tab.open(in_locale(tab.url(), step.target))
    else:
        answers = _resolve(step.answers, references, token)
        missing = tab.fill(answers)
        if missing:
            raise Astray(f"the form has no control named {', '.join(missing)}")


def in_locale(url: str, locale: str) -> str:
    """Return the path and query of `url` with the language switcher's `lang` set to `locale`."""
    parts = urlsplit(url)
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name != "lang"
    ]
    return f"{parts.path}?{urlencode([*query, ('lang', locale)])}"


def _resolve(
    answers: Mapping[str, str | list[str]], references: dict[str, tuple[str, str]], token: str
) -> dict[str, str | list[str]]:
    """Put in the reference numbers given earlier, and the token of the journey that got each."""
    for procedure_id, (reference, earlier) in references.items():
        if reference_of(procedure_id) in answers.values():
            answers = {
                name: reference if value == reference_of(procedure_id) else value
                for name, value in answers.items()
            }
            token = earlier
    return {name: personalised(value, token) for name, value in answers.items()}


def _arrived(tab: Tab, visit: Visit) -> None:
    path = urlsplit(tab.url()).path
    if path != visit.path:
        raise Astray(
            f"expected {visit.path} ({visit.state}) but the app showed {path}; "
            f"the page says: {tab.main_text()[:300]!r}"
        )


def _remember_reference(
    tab: Tab, visit: Visit, references: dict[str, tuple[str, str]], token: str
) -> None:
    found = REFERENCE_NUMBER.search(tab.main_text())
    if found is None:
        raise Astray("the completion page shows no reference number like YKH-7K3P-9QRT")
    references[str(visit.procedure)] = (found.group(), token)


def _remember_unaudited_reference(
    tab: Tab, references: dict[str, tuple[str, str]], token: str
) -> None:
    # A completion page the plan does not audit (coverage.py) still gives the reference number
    # a later journey looks up.
    parts = urlsplit(tab.url()).path.split("/")
    if len(parts) == 4 and parts[1] == "procedures" and parts[3] == "complete":
        found = REFERENCE_NUMBER.search(tab.main_text())
        if found is not None:
            references[parts[2]] = (found.group(), token)


def _safe_url(tab: Tab) -> str:
    try:
        return tab.url()
    except Exception:
        return "(unknown page)"
