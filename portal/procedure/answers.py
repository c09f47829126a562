"""Answers as people read them: the check page, the back office, exports and emails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.procedure.fields import kind_of
from portal.procedure.flow import Flow
from portal.procedure.model import Page, Procedure
from portal.procedure.question import Question
from portal.procedure.text import plain as plain_text


@dataclass(frozen=True)
class AnswerRow:
    """One question and its answer; `page` is None for answers the procedure no longer asks."""

    field_id: str
    label: str
    value: str | None
    page: Page | None = None
    field: Question | None = None


def plain(answer: Any) -> str | None:
    """Return a stored answer as text when no question says how to show it."""
    if answer is None:
        return None
    return "、".join(map(str, answer)) if isinstance(answer, list) else str(answer)


def readable(field: Question, answer: Any, locale: str) -> str | None:
    """Return the answer as its question shows it in `locale` (None: not answered)."""
    if answer is None:
        return None
    try:
        return kind_of(field).display(field, answer, locale)
    except (TypeError, ValueError):  # stored under an earlier version of the question
        return plain(answer)


def answer_rows(
    procedure: Procedure | None, answers: dict[str, Any], locale: str, flow: Flow | None = None
) -> list[AnswerRow]:
    """Return the answered questions in page order, then any answers the procedure no longer has.

    `flow` is the journey's flow over these answers, when the caller has it already.
    """
    rows: list[AnswerRow] = []
    shown: set[str] = set()
    if procedure is not None:
        flow = flow or Flow(procedure, answers)
        for page in flow.pages():
            for field in flow.visible_fields(page):
                value = readable(field, answers.get(field.id), locale)
                label = plain_text(field.label, locale)
                rows.append(AnswerRow(field.id, label, value, page, field))
                shown.add(field.id)
    for field_id, answer in answers.items():
        if field_id not in shown:
            rows.append(AnswerRow(field_id, field_id, plain(answer)))
    return rows
