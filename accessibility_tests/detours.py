"""Detours the app puts in a journey: signing in and signing with the stub's test cards."""

from __future__ import annotations

from accessibility_tests.journey import (
    CARD_BUTTON,
    START_BUTTON,
    STEP_BUTTON,
    SUBMIT_BUTTON,
    State,
    Step,
    Visit,
)
from portal.procedure.model import Procedure


def signature_steps(procedure: Procedure, locale: str, audit: bool) -> list[Step]:
    """Return the detour from check answers through signing with the stub's test card."""
    from portal.identity.stub_idp.personas import load_personas

    persona = next(iter(load_personas().values()))
    sign = f"/procedures/{procedure.id}/sign"
    card = "/stub-idp/sign"

    def visit(page: str, state: State, path: str, *invalid: tuple[str, ...]) -> Visit | None:
        return Visit(locale, page, state, path, procedure.id, invalid) if audit else None

    steps = [
        Step("submit", SUBMIT_BUTTON, visit=visit(f"{procedure.id}/sign", "shown", sign)),
        Step("submit", STEP_BUTTON, visit=visit(f"{procedure.id}/signing-card", "empty", card)),
    ]
    if audit:
        steps += [
            Step(
                "submit",
                CARD_BUTTON,
                visit=visit(
                    f"{procedure.id}/signing-card", "error-empty", card, ("persona",), ("pin",)
                ),
            ),
            Step("fill", answers={"persona": persona.id, "pin": "12345"}),
            Step(
                "submit",
                CARD_BUTTON,
                visit=visit(f"{procedure.id}/signing-card", "error-invalid", card, ("pin",)),
            ),
        ]
    steps += [
        Step(
            "fill",
            answers={"persona": persona.id, "pin": persona.signature_password},
            visit=visit(f"{procedure.id}/signing-card", "filled", card),
        ),
        Step("submit", CARD_BUTTON, visit=visit(f"{procedure.id}/sign", "result", sign)),
    ]
    return steps


def sign_in_steps(procedure: Procedure, locale: str) -> tuple[list[Step], str]:
    """Return the detour through sign-in, the stub provider's card page and consent to use
    the card, and the button that leaves it."""
    from portal.identity.sessions import prefill_fields
    from portal.identity.stub_idp.personas import load_personas

    persona = next(iter(load_personas().values()))
    base = f"/procedures/{procedure.id}"
    card = "/stub-idp/authorize"

    def visit(page: str, state: State, path: str, *invalid: tuple[str, ...]) -> Visit:
        return Visit(locale, page, state, path, procedure.id, invalid)

    steps = [
        Step(
            "submit",
            START_BUTTON,
            visit=visit(f"{procedure.id}/sign-in", "shown", f"{base}/sign-in"),
        ),
        Step("submit", STEP_BUTTON, visit=visit(f"{procedure.id}/card", "empty", card)),
        Step(
            "submit",
            CARD_BUTTON,
            visit=visit(f"{procedure.id}/card", "error-empty", card, ("persona",), ("pin",)),
        ),
        Step("fill", answers={"persona": persona.id, "pin": "12"}),
        Step(
            "submit",
            CARD_BUTTON,
            visit=visit(f"{procedure.id}/card", "error-invalid", card, ("pin",)),
        ),
        Step(
            "fill",
            answers={"persona": persona.id, "pin": persona.pin},
            visit=visit(f"{procedure.id}/card", "filled", card),
        ),
    ]
    if prefill_fields(procedure):
        consent = f"{base}/sign-in/details"
        steps += [
            Step(
                "submit", CARD_BUTTON, visit=visit(f"{procedure.id}/card-details", "empty", consent)
            ),
            Step(
                "submit",
                STEP_BUTTON,
                visit=visit(f"{procedure.id}/card-details", "error-empty", consent, ("use",)),
            ),
            Step(
                "fill",
                answers={"use": "yes"},
                visit=visit(f"{procedure.id}/card-details", "filled", consent),
            ),
        ]
        return steps, STEP_BUTTON
    return steps, CARD_BUTTON
