"""A check-answers step, with a way to change each answer, before every submission (3.3.4)."""

from __future__ import annotations

from urllib.parse import urlsplit

from accessibility_tests.findings import Finding, Where
from accessibility_tests.snapshot import Facts


def answered_by_card(page) -> bool:
    """Tell whether every question of `page` is answered from the My Number card.

    Such answers are shown on the check page as read from the card, with nothing to change
    (3.3.4 asks that what a resident entered can be checked and corrected).
    """
    return all(field.card_fact for field in page.fields)


def check(facts: Facts, where: Where, procedure: str, pages: list[str]) -> list[Finding]:
    """Return question pages the check-answers page offers no change link to."""
    targets = {urlsplit(link["href"]).path for link in facts["links"]}
    return [
        Finding(
            where,
            "3.3.4",
            "change-link",
            "main",
            f"the check-answers page has no link back to the question page {page!r}",
            "give every answer a 'Change' link to the page that asked it",
        )
        for page in pages
        if f"/procedures/{procedure}/{page}" not in targets
    ]
