"""A submission's answers as the applicant saw them on the check-answers page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.procedure.fields import kind_of
from portal.procedure.flow import Flow
from portal.procedure.model import Page, Procedure
from portal.procedure.text import localize


@dataclass(frozen=True)
class AnswerRow:
    """One question and its answer; `page` is None for answers the procedure no longer asks."""

    field_id: str
    label: str
    value: str | None
    page: Page | None = None


def _raw(answer: Any) -> str | None:
    if answer is None:
        return None
    return "、".join(map(str, answer)) if isinstance(answer, list) else str(answer)


def _display(field, answer: Any, locale: str) -> str | None:
    if answer is None:
        return None
    try:
        return kind_of(field).display(field, answer, locale)
    except (TypeError, ValueError):  # stored under an earlier version of the question
        return _raw(answer)


def answer_rows(
    procedure: Procedure | None, answers: dict[str, Any], locale: str
) -> list[AnswerRow]:
    """Return the answered questions in page order, then any answers the procedure no longer has."""
    rows: list[AnswerRow] = []
    shown: set[str] = set()
    if procedure is not None:
        flow = Flow(procedure, answers)
        for page in flow.pages():
            for field in flow.visible_fields(page):
                answer = answers.get(field.id)
                value = _display(field, answer, locale)
                rows.append(AnswerRow(field.id, localize(field.label, locale).text, value, page))
                shown.add(field.id)
    for field_id, answer in answers.items():
        if field_id not in shown:
            rows.append(AnswerRow(field_id, field_id, _raw(answer)))
    return rows
