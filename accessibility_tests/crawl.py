"""Derive every page and state a resident can reach from the app's procedure definitions."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from flask import Flask

from accessibility_tests import coverage, resume_links
from accessibility_tests.answers import (
    answer_variants,
    sample_answers,
    stored_answers,
    typed_answers,
)
from accessibility_tests.detours import sign_in_steps, signature_steps
from accessibility_tests.journey import (
    CONTINUE_BUTTON,
    SAVE_BUTTON,
    SIGNED_SUBMIT_BUTTON,
    START_BUTTON,
    STOP_LINK_BUTTON,
    SUBMIT_BUTTON,
    WAITLIST_BUTTON,
    Journey,
    State,
    Step,
    Visit,
)
from portal.procedure.fields import FormInput, kind_of
from portal.procedure.flow import Flow
from portal.procedure.model import Page, Procedure

NO_SUCH_REFERENCE = "YKH-0000-0000"
#: the address the save-and-return journey asks its link to be sent to
RESUME_EMAIL = "hanako.yokohama@example.jp"
#: pages of another site: the identity provider that the local stub stands in for
OTHER_SITES = ("/stub-idp/", "/stub-directory/")
#: routes the journeys below already cover; any other argument-free GET route is audited as found
#: (the staff directory's return is no page: each call would count as a refused sign-in)
COVERED_ENDPOINTS = frozenset(
    {"static", "healthz", "resident.status_result", "staff.directory_callback"}
)
#: the staff sign-in button that goes to the city's staff directory
DIRECTORY_BUTTON = 'main form[action*="/staff/sign-in/directory"] [type=submit]'
DIRECTORY_SIGN_IN = "main form [type=submit][name=action][value=sign_in]"
#: a persona of the stub staff directory that no staff account is linked to (in the audit)
UNLINKED_STAFF = "ykh-0004"


def procedures(app: Flask) -> list[Procedure]:
    """Return every procedure the app serves."""
    return app.extensions["portal.procedures"].all()


def locales(app: Flask) -> list[str]:
    """Return the locales the app has enabled."""
    return list(app.config["PORTAL_LOCALES"])


def plan(app: Flask, in_depth: bool = False) -> list[Journey]:
    """Return the journeys of the audit in every enabled locale.

    By default (`make test`) each locale audits each page template and each field type in each
    state once (coverage.py), and the first one also each procedure's check-answers page; with
    `in_depth` (`portal audit`), every page of every procedure in every state in every locale.
    """
    now = now_of(app)
    journeys: list[Journey] = []
    for index, locale in enumerate(locales(app)):
        if in_depth:
            journeys += procedures_in_depth(app, locale, now)
        else:
            walked = locale_journeys(app, locale, now)
            journeys += coverage.covering(app, walked, first=index == 0)
    return journeys


def procedures_in_depth(app: Flask, locale: str, now: Any) -> list[Journey]:
    """Return every journey through the procedures' own pages in `locale` (`portal audit`:
    the catalog, the status lookup and the back office are the portal's, audited by `make test`)."""
    return [
        *itertools.chain.from_iterable(
            procedure_journeys(procedure, locale, now) for procedure in procedures(app)
        ),
        *itertools.chain.from_iterable(
            seat_journeys(procedure, locale, now) for procedure in procedures(app)
        ),
    ]


def locale_journeys(app: Flask, locale: str, now: Any) -> list[Journey]:
    """Return every journey in `locale`: the site, each procedure (with its answer variants and
    seat states), the status lookup, the staff-directory sign-in and the back office."""
    return [
        site_journey(app, locale, now),
        *itertools.chain.from_iterable(
            procedure_journeys(procedure, locale, now) for procedure in procedures(app)
        ),
        *itertools.chain.from_iterable(
            seat_journeys(procedure, locale, now) for procedure in procedures(app)
        ),
        *save_and_return_journeys(app, locale, now),
        status_journey(app, locale),
        *staff_directory_journeys(app, locale),
        back_office_journey(app, locale),
    ]


HARNESSES = ("playwright", "selenium")


def harness_locales(journeys: list[Journey]) -> dict[str, list[str]]:
    """Return the locales each harness walks, running every check and axe there.

    Each locale is walked by one harness only (Playwright, or Selenium with
    axe-selenium-python); the locales are shared out in plan order to whichever harness has
    fewer steps to walk so far, so the two walks, side by side, take about as long.
    """
    steps: dict[str, int] = {}
    for journey in journeys:
        steps[journey.locale] = steps.get(journey.locale, 0) + len(journey.steps)
    shares: dict[str, list[str]] = {harness: [] for harness in HARNESSES}
    load = dict.fromkeys(HARNESSES, 0)
    for locale, count in steps.items():
        harness = min(HARNESSES, key=load.__getitem__)
        shares[harness].append(locale)
        load[harness] += count
    return shares


def site_journey(app: Flask, locale: str, now: Any) -> Journey:
    """Return the catalog, its searches, error pages and any other argument-free page."""
    first = procedures(app)[0] if procedures(app) else None
    term = first.title.get(locale, first.title["ja"]).split()[0][:8] if first else "x"
    steps = [
        Step("open", f"/?lang={locale}", visit=Visit(locale, "catalog", "shown", "/")),
        Step("open", f"/?q={term}", visit=Visit(locale, "catalog", "search", "/")),
        Step("open", "/?q=zzzzqqq", visit=Visit(locale, "catalog", "no-results", "/")),
        Step(
            "open",
            "/procedures/no-such-procedure",
            visit=Visit(locale, "not-found", "shown", "/procedures/no-such-procedure"),
        ),
    ]
    if first is not None and first.window.state(now) == "open":
        start = f"/procedures/{first.id}"
        steps += [
            Step("open", start),
            Step("clear_cookies"),
            Step(
                "submit",
                START_BUTTON,
                visit=Visit(locale, "session-expired", "shown", f"{start}/start"),
            ),
            Step("open", f"/?lang={locale}"),
        ]
    steps += [
        Step("open", path, visit=Visit(locale, path.strip("/"), "shown", path))
        for path in other_pages(app)
    ]
    return Journey(f"{locale}: site", locale, tuple(steps))


def now_of(app: Flask) -> Any:
    """Return the app's idea of now (tests may set its clock)."""
    with app.app_context():
        from portal import clock

        return clock.now()


def other_pages(app: Flask) -> list[str]:
    """Return argument-free HTML pages no journey covers (sign-in, back office, …)."""
    known = {"/", "/status"}
    client = app.test_client()
    found = []
    for rule in app.url_map.iter_rules():
        if (
            rule.arguments
            or "GET" not in (rule.methods or ())
            or rule.endpoint in COVERED_ENDPOINTS
        ):
            continue
        path = str(rule)
        response = client.get(path)
        if path not in known and response.status_code == 200 and response.mimetype == "text/html":
            found.append(path)
    return sorted(found)


def status_journey(app: Flask, locale: str) -> Journey:
    """Return the status lookup: empty, both error states, and a found application."""
    found = next(
        (
            (procedure.id, sample)
            for procedure in procedures(app)
            if procedure.notify is not None
            for sample in [sample_answers(procedure).get(procedure.notify.email_field)]
            if isinstance(sample, str)
        ),
        None,
    )
    steps = [
        Step("open", f"/status?lang={locale}", visit=Visit(locale, "status", "empty", "/status")),
        Step(
            "submit",
            SUBMIT_BUTTON,
            visit=Visit(
                locale,
                "status",
                "error-empty",
                "/status",
                invalid=(("reference_number",), ("email",)),
            ),
        ),
    ]
    if found is not None:
        procedure_id, email = found
        wrong = {"reference_number": NO_SUCH_REFERENCE, "email": email}
        right = {"reference_number": reference_of(procedure_id), "email": email}
        steps += [
            Step("fill", answers=wrong),
            Step(
                "submit",
                SUBMIT_BUTTON,
                visit=Visit(
                    locale, "status", "error-invalid", "/status", invalid=(("reference_number",),)
                ),
            ),
            Step("fill", answers=right),
            Step(
                "submit",
                SUBMIT_BUTTON,
                visit=Visit(locale, "status", "result", "/status/result", typed=(email,)),
            ),
        ]
    return Journey(f"{locale}: status", locale, tuple(steps))


def save_and_return_journeys(app: Flask, locale: str, now: Any) -> list[Journey]:
    """Return 「保存して後で続ける」 on the first open procedure without a sign-in: the save page
    empty, with an error and filled in again, the sent page, and the emailed link continuing,
    replaced by a newer one, stopped, opened in another browser and expired."""
    chosen = next(
        (
            p
            for p in procedures(app)
            if p.identity == "none" and p.capacity is None and p.window.state(now) == "open"
        ),
        None,
    )
    if chosen is None:
        return []
    base = f"/procedures/{chosen.id}"
    save, sent = f"{base}/save-for-later", f"{base}/save-for-later/sent"

    def at(path: str, page: str, state: State, **more: Any) -> Visit:
        return Visit(locale, page, state, path, chosen.id, **more)

    def link(which: str, state: State | None = None) -> Step:
        seen = Visit(locale, "resume", state, "/resume") if state else None
        return Step("arrange", resume_links.target(chosen.id, which), visit=seen)

    typed = (RESUME_EMAIL,)
    steps = (
        Step("open", f"{base}?lang={locale}"),
        Step("submit", START_BUTTON),
        Step("submit", SAVE_BUTTON, visit=at(save, f"{chosen.id}/save-for-later", "empty")),
        Step(
            "submit",
            SUBMIT_BUTTON,
            visit=at(save, f"{chosen.id}/save-for-later", "error-empty", invalid=(("email",),)),
        ),
        Step("fill", answers={"email": RESUME_EMAIL}),
        Step("submit", SUBMIT_BUTTON, visit=at(sent, f"{chosen.id}/sent", "sent", typed=typed)),
        Step("open", save, visit=at(save, f"{chosen.id}/save-for-later", "filled")),
        Step("submit", SUBMIT_BUTTON),  # a second link: the first is replaced
        link("older", "replaced"),
        link("newest", "shown"),
        Step("submit", CONTINUE_BUTTON),
        Step("open", sent),
        Step("submit", STOP_LINK_BUTTON, visit=at(sent, f"{chosen.id}/sent", "revoked")),
        link("newest", "revoked"),
        Step("open", save),
        Step("submit", SUBMIT_BUTTON),
        link("newest"),
        Step("submit", CONTINUE_BUTTON),  # this browser has the link now
        Step("clear_cookies"),
        link("newest", "used"),
        link("expired", "expired"),
    )
    return [Journey(f"{locale}: save and return ({chosen.id})", locale, steps)]


def staff_directory_journeys(app: Flask, locale: str) -> list[Journey]:
    """Return staff sign-in through the staff directory, where one is configured: the
    directory's sign-in page, empty and refused, and the portal's sign-in page refusing a
    member of staff who has no account."""
    if app.extensions.get("portal.staff_directory") is None:
        return []
    authorize = "/stub-directory/authorize"
    steps = (
        Step("open", f"/staff/sign-in?lang={locale}"),
        Step(
            "submit",
            DIRECTORY_BUTTON,
            visit=Visit(locale, "stub-directory/authorize", "empty", authorize),
        ),
        Step(
            "submit",
            DIRECTORY_SIGN_IN,
            visit=Visit(
                locale,
                "stub-directory/authorize",
                "error-empty",
                authorize,
                invalid=(("persona",),),
            ),
        ),
        Step("fill", answers={"persona": UNLINKED_STAFF}),
        Step(
            "submit",
            DIRECTORY_SIGN_IN,
            visit=Visit(locale, "staff/sign-in", "error-invalid", "/staff/sign-in"),
        ),
    )
    return [Journey(f"{locale}: staff directory", locale, steps)]


def back_office_journey(app: Flask, locale: str) -> Journey:
    """Return the back office of a signed-in administrator: dashboard, a procedure's
    submissions and the first submission (the journeys before this one submitted some), the
    audit trail, the accounts, a new account's form, the usage of all procedures and of the
    first (with a refused filter), the plan's indicators, and the preview of a procedure."""
    from accessibility_tests import staff

    def seen(path: str, page: str, state: State = "shown") -> Step:
        return Step("open", path, visit=Visit(locale, page, state, path.split("?")[0]))

    steps = [
        Step("open", f"/staff/sign-in?lang={locale}"),
        Step("fill", answers={"email": staff.EMAIL, "password": staff.PASSWORD}),
        Step(
            "submit",
            staff.SIGN_IN_BUTTON,
            visit=Visit(locale, "staff/dashboard", "shown", "/staff/"),
        ),
        seen("/staff/audit", "staff/audit"),
        seen("/staff/accounts", "staff/accounts"),
        seen("/staff/accounts/new", "staff/account", "empty"),
        seen("/staff/preview", "staff/preview", "empty"),
        seen("/staff/usage", "staff/usage"),
        seen("/staff/indicators", "staff/indicators"),
    ]
    first = procedures(app)[0] if procedures(app) else None
    if first is not None:
        base = f"/staff/preview/procedures/{first.id}"
        steps += [
            seen(f"/staff/procedures/{first.id}/submissions", "staff/submissions"),
            seen("/staff/submissions/1", "staff/submission"),
            # the usage dashboard of a procedure the journeys before this one walked: its
            # charts and tables, then its filters refusing a date
            seen(f"/staff/procedures/{first.id}/usage", "staff/procedure-usage"),
            Step(
                "open",
                f"/staff/procedures/{first.id}/usage?start=2026-13-01",
                visit=Visit(
                    locale,
                    "staff/procedure-usage",
                    "error-invalid",
                    f"/staff/procedures/{first.id}/usage",
                    invalid=(("start",),),
                ),
            ),
            seen(base, "staff/preview/overview"),
            seen(f"{base}/pages/{first.pages[0].id}", "staff/preview/page"),
            seen(f"{base}/check", "staff/preview/check"),
        ]
    steps.append(Step("clear_cookies"))  # signed out: the resident journeys after this one
    return Journey(f"{locale}: back office", locale, tuple(steps))


def reference_of(procedure_id: str) -> str:
    """Return the placeholder the walker replaces with the reference number it was given."""
    return f"{{reference:{procedure_id}}}"


def procedure_journeys(procedure: Procedure, locale: str, now: Any) -> list[Journey]:
    """Return journeys that, between them, show every page and question of `procedure`."""
    base = f"/procedures/{procedure.id}"
    start = Step(
        "open",
        f"{base}?lang={locale}",
        visit=Visit(locale, f"{procedure.id}/start", "shown", base, procedure.id),
    )
    if procedure.window.state(now) != "open":
        return [Journey(f"{locale}: {procedure.id}", locale, (start,))]
    journeys = []
    for variant, (choices, fresh) in enumerate(answer_variants(procedure)):
        steps = [*_seats(procedure, "open")]
        steps.append(start if variant == 0 else Step("open", f"{base}?lang={locale}"))
        arrive_by = START_BUTTON
        if procedure.identity != "none" and variant == 0:
            # signed out first: an earlier procedure's sign-in would skip the card's pages
            steps.insert(0, Step("clear_cookies"))
            detour, arrive_by = sign_in_steps(procedure, locale)
            steps += detour
        flow = Flow(procedure, stored_answers(procedure, choices))
        for page in flow.pages():
            steps += page_steps(
                procedure,
                page,
                flow,
                choices,
                locale,
                variant,
                audit=variant == 0 or page.id in fresh,
                arrive_by=arrive_by,
            )
            arrive_by = CONTINUE_BUTTON
        typed = tuple(typed_answers(procedure, choices))
        steps.append(
            Step(
                "submit",
                CONTINUE_BUTTON,
                visit=Visit(
                    locale,
                    f"{procedure.id}/check",
                    "shown",
                    f"{base}/check",
                    procedure.id,
                    typed=typed,
                    variant=variant,
                ),
            )
        )
        leave_by = SUBMIT_BUTTON
        if procedure.signature == "required":
            steps += signature_steps(procedure, locale, audit=variant == 0)
            leave_by = SIGNED_SUBMIT_BUTTON
        steps.append(
            Step(
                "submit",
                leave_by,
                visit=Visit(
                    locale,
                    f"{procedure.id}/complete",
                    "shown",
                    f"{base}/complete",
                    procedure.id,
                    typed=typed,
                    variant=variant,
                ),
            )
        )
        journeys.append(
            Journey(f"{locale}: {procedure.id} (answers {variant + 1})", locale, tuple(steps))
        )
    return journeys


def seat_journeys(procedure: Procedure, locale: str, now: Any) -> list[Journey]:
    """Return the pages of a first-come event that change as its seats run out.

    With only waiting-list places left: the start page says so, the check page offers a
    place on the list, and the completion page gives the position. When every place has gone
    while the resident filled in the form: the check page says it cannot be submitted, and
    the start page and the catalog say the event is full.
    """
    if not _seats(procedure, "open") or procedure.window.state(now) != "open":
        return []
    to_check = _route_to_check(procedure_journeys(procedure, locale, now)[0])
    check = to_check[-1].visit
    assert check is not None
    base = f"/procedures/{procedure.id}"

    def seen(step: Step, state: State) -> Step:
        assert step.visit is not None
        return dataclasses.replace(step, visit=dataclasses.replace(step.visit, state=state))

    def start(state: State) -> Step:
        return Step(
            "open",
            f"{base}?lang={locale}",
            visit=Visit(locale, f"{procedure.id}/start", state, base, procedure.id),
        )

    # the route signs out first where the procedure signs in, then opens the start page
    at = next(i for i, step in enumerate(to_check) if step.action == "open")
    signed_out = tuple(step for step in to_check[:at] if step.action == "clear_cookies")
    journeys = []
    if procedure.capacity is not None and procedure.capacity.waitlist:
        complete = Visit(
            locale,
            f"{procedure.id}/complete",
            "waitlist",
            f"{base}/complete",
            procedure.id,
            typed=check.typed,
        )
        join: tuple[Step, ...] = (Step("submit", WAITLIST_BUTTON, visit=complete),)
        if procedure.signature == "required":  # joining the list leads to signing first
            signing = signature_steps(procedure, locale, audit=False)[1:]
            join = (
                Step("submit", WAITLIST_BUTTON),
                *signing,
                Step("submit", SIGNED_SUBMIT_BUTTON, visit=complete),
            )
        steps = (
            *signed_out,
            *_seats(procedure, "waitlist"),
            start("waitlist"),
            *to_check[at + 1 : -1],
            seen(to_check[-1], "waitlist"),
            *join,
        )
        journeys.append(Journey(f"{locale}: {procedure.id} (waiting list)", locale, steps))
    steps = (
        *to_check[:-1],
        *_seats(procedure, "full"),
        seen(to_check[-1], "full"),
        start("full"),
        Step("open", "/", visit=Visit(locale, "catalog", "full", "/")),
        *_seats(procedure, "open"),
    )
    journeys.append(Journey(f"{locale}: {procedure.id} (full)", locale, steps))
    return journeys


def _seats(procedure: Procedure, situation: str) -> tuple[Step, ...]:
    """Return the step that arranges a first-come event's seats (none for other procedures)."""
    capacity = procedure.capacity
    if capacity is None or capacity.allocation != "first_come":
        return ()
    return (Step("arrange", f"{procedure.id}:{situation}"),)


def _route_to_check(journey: Journey) -> tuple[Step, ...]:
    """Return the steps of `journey` up to its check page, auditing only that page."""
    steps = without_error_states(journey.steps)
    at = next(
        i for i, step in enumerate(steps) if step.visit and step.visit.page.endswith("/check")
    )
    return tuple(
        step if i == at else dataclasses.replace(step, visit=None)
        for i, step in enumerate(steps[: at + 1])
    )


def without_error_states(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Return `steps` without the error states and the answers that lead to them."""
    kept = []
    for index, step in enumerate(steps):
        following = steps[index + 1] if index + 1 < len(steps) else None
        errs = step.visit is not None and step.visit.state.startswith("error")
        prepares_error = (
            step.action == "fill"
            and step.visit is None
            and following is not None
            and following.visit is not None
            and following.visit.state.startswith("error")
        )
        if not (errs or prepares_error):
            kept.append(step)
    return tuple(kept)


def page_steps(
    procedure: Procedure,
    page: Page,
    flow: Flow,
    choices: dict[str, FormInput],
    locale: str,
    variant: int,
    audit: bool,
    arrive_by: str,
) -> list[Step]:
    """Return the steps through one question page: arrive empty, the error states, filled."""
    path = f"/procedures/{procedure.id}/{page.id}"
    name = f"{procedure.id}/{page.id}"
    # Questions the My Number card answers are shown, not asked, once the resident consents.
    card = procedure.identity != "none"
    fields = [q for q in flow.visible_fields(page) if not (card and q.card_fact)]
    valid: dict[str, str | list[str]] = {}
    for question in fields:
        valid.update(choices[question.id])

    def visit(state: State, invalid: tuple[tuple[str, ...], ...] = ()) -> Visit | None:
        return (
            Visit(locale, name, state, path, procedure.id, invalid, variant=variant)
            if audit
            else None
        )

    steps = [Step("submit", arrive_by, visit=visit("empty"))]
    required = tuple(tuple(choices[q.id]) for q in fields if q.required and choices[q.id])
    if audit and required:
        steps.append(Step("submit", CONTINUE_BUTTON, visit=visit("error-empty", required)))
    wrong = {q.id: bad for q in fields if (bad := kind_of(q).invalid_input(q))}
    if audit and wrong:
        answers = dict(valid)
        for bad in wrong.values():
            answers.update(bad)
        steps.append(Step("fill", answers=_clearing(fields, choices, answers)))
        invalid = tuple(tuple(bad) for bad in wrong.values())
        steps.append(Step("submit", CONTINUE_BUTTON, visit=visit("error-invalid", invalid)))
    steps.append(Step("fill", answers=_clearing(fields, choices, valid), visit=visit("filled")))
    return steps


def _clearing(
    fields: list[Any], choices: dict[str, FormInput], answers: dict[str, str | list[str]]
) -> dict[str, str | list[str]]:
    """Return `answers`, with every other control of `fields` emptied."""
    empty: dict[str, str | list[str]] = {
        name: [] if isinstance(value, list) else ""
        for q in fields
        for name, value in choices[q.id].items()
    }
    return {**empty, **answers}
