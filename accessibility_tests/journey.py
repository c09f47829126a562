"""Journeys: the steps a browser takes through the portal, and the visits it audits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

START_BUTTON = "form.start-form [type=submit]"
CONTINUE_BUTTON = "main form [type=submit][name=action][value=continue]"
SUBMIT_BUTTON = "main form[method=post] [type=submit]:not([name])"
#: the check page's button that takes a place on an event's waiting list
WAITLIST_BUTTON = "main form[method=post] [type=submit][name=accept_waitlist]"
CARD_BUTTON = "main form [type=submit][name=action][value=read]"
#: the button that submits a signed application (on the signing page, posting to check)
SIGNED_SUBMIT_BUTTON = 'main form[action$="/check"] [type=submit]'
#: 「保存して後で続ける」 on a question page (in its form) or the check page (a form of its own)
SAVE_BUTTON = 'main form [type=submit][formaction*="/save-from/"], main form[action*="/save-from/"] [type=submit]'
#: the button that stops an emailed resume link, on the sent page
STOP_LINK_BUTTON = 'main form[action$="/save-for-later/revoke"] [type=submit]'
#: the one button of a one-question step outside a procedure's pages (sign-in, consent)
STEP_BUTTON = "main form [type=submit]"
State = Literal[
    "shown",
    "search",
    "no-results",
    "empty",
    "error-empty",
    "error-invalid",
    "filled",
    "result",
    "waitlist",  # an event with only waiting-list places left
    "full",  # an event with no place left at all
    "sent",  # a resume link emailed
    "revoked",  # a resume link stopped by the resident
    "replaced",  # a resume link a newer one replaced
    "used",  # a resume link opened in another browser
    "expired",  # a resume link past its time
]


@dataclass(frozen=True)
class Visit:
    """One page in one state and locale: the unit every check reports on."""

    locale: str
    page: str
    state: State
    path: str
    procedure: str | None = None
    #: the controls of each question the page must mark invalid (error states)
    invalid: tuple[tuple[str, ...], ...] = ()
    #: texts the resident typed, shown back to them (their language is theirs, not the page's)
    typed: tuple[str, ...] = ()
    variant: int = 0

    @property
    def id(self) -> str:
        """Return a stable, readable id: locale/page/state."""
        suffix = f"~answers{self.variant + 1}" if self.variant else ""
        return f"{self.locale}/{self.page}/{self.state}{suffix}"


@dataclass(frozen=True)
class Step:
    """One action in a journey; `visit` is the state it reaches, audited when set."""

    action: Literal["open", "submit", "fill", "clear_cookies", "arrange", "relocalize"]
    #: the path to open, the submit button to press, the seats to arrange
    #: (`procedure-id:open|waitlist|full`, see seats.py), or the locale to show this page in
    #: (through the language switcher's `?lang=`)
    target: str = ""
    answers: Mapping[str, str | list[str]] = field(default_factory=dict)
    visit: Visit | None = None


@dataclass(frozen=True)
class Journey:
    """Steps that must run in order in one browser session."""

    name: str
    locale: str
    steps: tuple[Step, ...]

    def visits(self) -> list[Visit]:
        """Return the states this journey audits, in order."""
        return [step.visit for step in self.steps if step.visit is not None]


def journey_of(journeys: list[Journey], locale: str, procedure_id: str) -> Journey:
    """Return the first (sample answers) journey through `procedure_id` in `locale`."""
    return next(
        j
        for j in journeys
        if j.locale == locale and any(v.procedure == procedure_id for v in j.visits())
    )


def keyboard_route(journey: Journey) -> list[tuple[str, dict[str, str | list[str]], str | None]]:
    """Return (path, answers, button to press) for each page of a journey, errors left out."""
    route: list[tuple[str, dict[str, str | list[str]], str | None]] = []
    # A visit in another language (and the switch back) sits between a page and its button.
    steps = tuple(step for step in journey.steps if step.action != "relocalize")
    for index, step in enumerate(steps):
        visit = step.visit
        if visit is None or visit.state not in ("shown", "filled", "result"):
            continue
        following = steps[index + 1] if index + 1 < len(steps) else None
        button = following.target if following and following.action == "submit" else None
        answers = {name: value for name, value in step.answers.items() if value not in ("", [])}
        route.append((visit.path, answers, button))
    return route
