"""Audit a locale for coverage: each page template and each field type in each state, once.

Every locale walks the same journeys (every page of every procedure, derived from the
definitions), but a state is audited only where it shows something that locale has not been
audited on yet: a page template (the route that renders it) in a state, or a field type in a
state. The first locale also audits each procedure's check-answers page, and the filled
states (the words of a filled page are those of the empty one; the others skip them). Translation changes the words, not the templates, so this finds
what a language breaks (length, script, direction of marks, lang of parts) at a fraction of
the cost. States count by kind (`state_class`), and another site's pages (the stub identity
providers) only once in each locale. `portal audit` audits a clerk's procedures at depth in every language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from flask import Flask
from werkzeug.exceptions import HTTPException

from accessibility_tests.journey import Journey, Step, Visit

Key = tuple[str, str]
#: the states a template or a field type shows: empty (or simply shown), with an error
#: (an empty required answer or an invalid one: the same markup, other words), filled
STATE_CLASSES = {"error-empty": "error", "error-invalid": "error"}
#: pages of another site (the stub identity providers stand in for someone else's pages):
#: audited in every state in the full locales, in their first state in the others
FIRST_STATE_ONLY = ("/stub-idp/", "/stub-directory/")


def state_class(visit: Visit) -> str:
    """Return the kind of state `visit` is in, for coverage."""
    return STATE_CLASSES.get(visit.state, visit.state)


def template_of(app: Flask, visit: Visit) -> str:
    """Return what renders `visit`: its route's endpoint, or the page itself for site pages."""
    if not visit.procedure:
        return visit.page
    try:
        endpoint, _arguments = app.url_map.bind("localhost").match(visit.path, method="GET")
    except HTTPException:
        return visit.page
    return str(endpoint)


def keys_of(app: Flask, visit: Visit, first: bool = True) -> set[Key]:
    """Return the (template, state) and (field type, state) pairs `visit` shows; in the first
    locale, a check-answers page counts once per procedure (what it lists is the procedure's)."""
    state = state_class(visit)
    if state == "filled" and not first:
        return set()
    if visit.path.startswith(FIRST_STATE_ONLY):
        state = "first"
    template = template_of(app, visit)
    keys = {(template, state)}
    if first and template == "resident.check":
        keys.add((f"{template}:{visit.procedure}", state))
    procedure = app.extensions["portal.procedures"].get(visit.procedure or "")
    page_id = visit.page.rpartition("/")[2]
    page = procedure.page(page_id) if procedure is not None else None
    if page is not None and visit.path.endswith(f"/{page_id}"):
        keys |= {(f"field:{field.type}", state) for field in page.fields}
    return keys


def covering(app: Flask, journeys: Iterable[Journey], first: bool = True) -> list[Journey]:
    """Return `journeys` (of one locale) auditing only the states that show a key not yet seen.

    Steps are kept up to a journey's last audited state (the walk must still get there), but
    not the detours that only provoke an error state audited elsewhere (its button press and the
    wrong answers typed for it); the seats a journey arranges at its end are kept; a journey
    with nothing left to audit is not walked.
    """
    seen: set[Key] = set()
    kept: list[Journey] = []
    for journey in journeys:
        steps: list[Step] = []
        for step in journey.steps:
            new = keys_of(app, step.visit, first) - seen if step.visit is not None else set()
            seen |= new
            if not new and _makes_an_error(step):
                _drop_detour(steps)
                continue
            steps.append(step if new else dataclasses.replace(step, visit=None))
        last = max((i for i, step in enumerate(steps) if step.visit is not None), default=-1)
        if last >= 0:
            # what a journey arranges at its end (an event's seats open again) is for the next
            restore = [step for step in steps[last + 1 :] if step.action == "arrange"]
            kept.append(Journey(journey.name, journey.locale, (*steps[: last + 1], *restore)))
    return kept


def _makes_an_error(step: Step) -> bool:
    """Whether `step` presses a button only to show an error state (the page stays the same)."""
    return (
        step.action == "submit" and step.visit is not None and step.visit.state.startswith("error")
    )


def _drop_detour(steps: list[Step]) -> None:
    """Forget the unaudited answers typed only to provoke the error that is not shown now
    (the valid answers that follow are typed over the same page)."""
    while steps and steps[-1].action == "fill" and steps[-1].visit is None:
        steps.pop()


def covered(app: Flask, visits: Iterable[Visit], first: bool = True) -> set[Key]:
    """Return every key the given visits (of one locale) audit."""
    return set().union(*(keys_of(app, visit, first) for visit in visits))
