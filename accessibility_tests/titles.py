"""Page titles: present, unique per step, and changed on error (2.4.2)."""

from __future__ import annotations

from collections import defaultdict

from accessibility_tests.findings import Finding, Where

FIRST_STATES = frozenset({"empty", "shown"})
FIX_UNIQUE = "name the step in <title>, e.g. '<page heading> (step 2 of 3) - <procedure> - <site>'"


def check(titles: list[tuple[Where, str, str]]) -> list[Finding]:
    """Return title barriers among (where, page name, title) of one locale's visits."""
    findings = [
        Finding(
            where,
            "2.4.2",
            "title-present",
            "title",
            "the page has no <title> text",
            "give every page a <title> that names it",
        )
        for where, _page, title in titles
        if not title.strip()
    ]
    # a page's own title is the one it shows when first reached (empty or shown)
    calm = {(page, title) for where, page, title in titles if where.state in FIRST_STATES}
    pages_by_title: dict[str, set[str]] = defaultdict(set)
    for page, title in calm:
        pages_by_title[title].add(page)
    reported: set[str] = set()
    for where, page, title in titles:
        others = pages_by_title.get(title, set()) - {page}
        if others and title.strip() and title not in reported and where.state in FIRST_STATES:
            reported.add(title)
            findings.append(
                Finding(
                    where,
                    "2.4.2",
                    "title-unique",
                    "title",
                    f"the title {title!r} is also the title of {', '.join(sorted(others))}",
                    FIX_UNIQUE,
                )
            )
        if where.state.startswith("error") and (page, title) in calm:
            findings.append(
                Finding(
                    where,
                    "2.4.2",
                    "title-changes-on-error",
                    "title",
                    f"the title {title!r} is the same as before the errors",
                    "prefix the title with 'エラー：' / 'Error: ' while the page shows errors",
                )
            )
    return findings
