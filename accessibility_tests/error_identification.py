"""Error states: a summary that is announced and links to each field, and fields marked
invalid and described by their message (3.3.1, 3.3.3)."""

from __future__ import annotations

from accessibility_tests.findings import Finding, Where
from accessibility_tests.snapshot import Control, Facts, Link

SUMMARY_FIX = (
    'render the error summary (<div class="error-summary" role="alert" tabindex="-1">) '
    "at the top of main, with one link per invalid field"
)


def check(facts: Facts, where: Where, invalid: tuple[tuple[str, ...], ...]) -> list[Finding]:
    """Return barriers in an error state; `invalid` holds the controls of each refused question."""
    summary = facts["summary"]
    if summary is None:
        return [
            Finding(
                where,
                "3.3.1",
                "error-summary",
                "main",
                "an error state shows no error summary",
                SUMMARY_FIX,
            )
        ]
    findings = []
    if not summary["focused"] and summary["role"] != "alert" and summary["live"] != "assertive":
        findings.append(
            Finding(
                where,
                "3.3.1",
                "error-summary-announced",
                summary["element"],
                "the error summary neither receives focus nor is announced",
                'give the summary role="alert" (or move focus to it on load)',
            )
        )
    for names in invalid:
        controls = [c for c in facts["controls"] if c["name"] in names]
        if controls:
            findings += _field_findings(where, names[0], controls, summary["links"])
    return findings


def _field_findings(
    where: Where, name: str, controls: list[Control], links: list[Link]
) -> list[Finding]:
    ids = {c["id"] for c in controls if c["id"]}
    link = next((link for link in links if link["href"].removeprefix("#") in ids), None)
    element = controls[0]["element"]
    findings = []
    if link is None:
        findings.append(
            Finding(
                where,
                "3.3.1",
                "error-summary-link",
                element,
                f"the error summary has no link to the invalid field {name!r}",
                f'add <a href="#{controls[0]["id"] or name}">message</a> to the error summary',
            )
        )
    if not all(c["invalid"] for c in controls) and not all(c["groupInvalid"] for c in controls):
        findings.append(
            Finding(
                where,
                "3.3.1",
                "aria-invalid",
                element,
                f'the invalid field {name!r} does not carry aria-invalid="true"',
                'add aria-invalid="true" to each of its controls while it is in error',
            )
        )
    messages = [c["message"] or c["groupMessage"] for c in controls]
    if not all(messages):
        findings.append(
            Finding(
                where,
                "3.3.1",
                "aria-describedby",
                element,
                f"the invalid field {name!r} is not described by its error message",
                "point aria-describedby (on the control, or on its fieldset) at the "
                "element holding the error message",
            )
        )
    elif link is not None and not all(_squash(link["text"]) in _squash(m) for m in messages):
        findings.append(
            Finding(
                where,
                "3.3.3",
                "error-message-matches-summary",
                element,
                f"the message of {name!r} ({messages[0]!r}) differs from its summary link "
                f"({link['text']!r})",
                "show the same message next to the field and in the summary",
            )
        )
    return findings


def _squash(text: str) -> str:
    return " ".join(text.split())
