"""Which pages and questions apply, given the answers so far, and what comes next."""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from portal.procedure.conditions import holds
from portal.procedure.model import Field, Page, Procedure


@dataclass(frozen=True)
class Flow:
    """The journey through one procedure for one set of answers (walked once, then kept)."""

    procedure: Procedure
    answers: Mapping[str, Any]

    @functools.cached_property
    def _walked(self) -> tuple[list[Page], dict[str, Any]]:
        return self._walk()

    def _walk(self) -> tuple[list[Page], dict[str, Any]]:
        # Rules only see answers that still apply, so a page that stops applying
        # takes its answers (and whatever depended on them) out with it.
        pages: list[Page] = []
        effective: dict[str, Any] = {}
        for page in self.procedure.pages:
            if not holds(page.show_if, effective):
                continue
            pages.append(page)
            for field in page.fields:
                if holds(field.show_if, effective) and field.id in self.answers:
                    effective[field.id] = self.answers[field.id]
        return pages, effective

    def pages(self) -> list[Page]:
        """Return the pages that apply, in order."""
        return list(self._walked[0])

    def effective_answers(self) -> dict[str, Any]:
        """Return only the answers to questions that still apply: what gets submitted."""
        return dict(self._walked[1])

    def visible_fields(self, page: Page) -> list[Field]:
        """Return the questions of `page` that apply."""
        effective = self._walked[1]
        return [field for field in page.fields if holds(field.show_if, effective)]

    def page_answers(
        self, page: Page, given: Mapping[str, Any], keep: Collection[str] = ()
    ) -> dict[str, Any]:
        """Return what to store for `page`: `given`, and None (remove) for each question that
        no longer applies, unless it is in `keep` (answers that come from elsewhere).

        This is the one place that decides which answers stop applying; the draft stores
        what it returns, and `effective_answers` leaves out the rest when submitting.
        """
        shown = {field.id for field in self.visible_fields(page)}
        gone = {f.id: None for f in page.fields if f.id not in shown and f.id not in keep}
        return {**gone, **given}

    def applies(self, page: Page) -> bool:
        """Tell whether `page` is part of the journey."""
        return any(p.id == page.id for p in self._walked[0])

    def next_page(self, page: Page) -> Page | None:
        """Return the page after `page`, or None when check-answers comes next."""
        pages = self._walked[0]
        index = next((i for i, p in enumerate(pages) if p.id == page.id), -1)
        if index < 0:
            return pages[0] if pages else None
        return pages[index + 1] if index + 1 < len(pages) else None

    def previous_page(self, page: Page) -> Page | None:
        """Return the page before `page`, or None on the first page."""
        pages = self._walked[0]
        index = next((i for i, p in enumerate(pages) if p.id == page.id), 0)
        return pages[index - 1] if index > 0 else None

    def position(self, page: Page) -> tuple[int, int]:
        """Return (step number, number of steps) for the progress indicator."""
        pages = self._walked[0]
        index = next((i for i, p in enumerate(pages) if p.id == page.id), 0)
        return index + 1, len(pages)

    def first_unfinished_page(self, seen: set[str]) -> Page | None:
        """Return the first applicable page not yet completed (None when all are)."""
        return next((p for p in self._walked[0] if p.id not in seen), None)
