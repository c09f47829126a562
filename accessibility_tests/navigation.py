"""Skip link and repeated navigation (2.4.1, 3.2.3)."""

from __future__ import annotations

from collections import Counter

from accessibility_tests.findings import Finding, Where
from accessibility_tests.snapshot import Facts

LANDMARKS = frozenset({"header", "nav", "footer", "aside"})


def skip_link(facts: Facts, where: Where) -> list[Finding]:
    """Return a finding unless the first focusable element is a link to main."""
    first = facts["first"]
    main = facts["main"]
    if main is None or main["id"] != "main":
        return [
            Finding(
                where,
                "2.4.1",
                "main-landmark",
                "main",
                'there is no <main id="main"> for the skip link to reach',
                'wrap the page content in <main id="main" tabindex="-1">',
            )
        ]
    if first is None or first["href"] != "#main":
        element = first["element"] if first else "(no focusable element)"
        return [
            Finding(
                where,
                "2.4.1",
                "skip-link-first",
                element,
                "the first focusable element is not a skip link to #main",
                'make <a class="skip-link" href="#main"> the first element of <body>',
            )
        ]
    return []


def sequence(facts: Facts) -> tuple[str, ...]:
    """Return the repeated navigation: focusable items inside landmarks outside main."""
    return tuple(
        f"{item['region']}: {item['text']}"
        for item in facts["navigation"]
        if item["region"] in LANDMARKS
    )


def consistent(pages: list[tuple[Where, Facts]]) -> list[Finding]:
    """Return pages whose repeated navigation differs from the most common one."""
    if not pages:
        return []
    common, _count = Counter(sequence(facts) for _where, facts in pages).most_common(1)[0]
    findings = []
    for where, facts in pages:
        shown = sequence(facts)
        kept = tuple(item for item in shown if item in common)
        if kept != common:
            missing = [item for item in common if item not in shown]
            problem = (
                f"navigation items missing: {missing}"
                if missing
                else f"navigation order {list(kept)} differs from {list(common)}"
            )
            findings.append(
                Finding(
                    where,
                    "3.2.3",
                    "consistent-navigation",
                    "header/nav/footer",
                    problem,
                    "render the header and footer navigation from the base layout, "
                    "in the same order on every page",
                )
            )
    return findings
