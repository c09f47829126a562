"""Previewing a procedure file, served or being drafted, without creating any submission."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from wtforms import Form

from portal.procedure.fields import kind_of
from portal.procedure.loader import Problem, ProcedureFileError, load_text
from portal.procedure.model import Procedure
from portal.staff.models import PreviewDraft, StaffMember


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str
    problems: list[Problem]


def check_source(source: str, filename: str) -> tuple[Procedure | None, list[Problem]]:
    """Load a procedure file's text; return the procedure, or every problem `portal check` finds."""
    try:
        return load_text(source, filename), []
    except ProcedureFileError as error:
        return None, error.problems


def annotated_lines(source: str, problems: list[Problem]) -> list[SourceLine]:
    """Return the file's lines, numbered, each with the problems found on it."""
    by_line: dict[int, list[Problem]] = {}
    for problem in problems:
        by_line.setdefault(problem.line, []).append(problem)
    lines = source.splitlines() or [""]
    return [SourceLine(i, text, by_line.get(i, [])) for i, text in enumerate(lines, start=1)]


def save_draft(
    session: Session, member: StaffMember, filename: str, source: str, now: datetime
) -> PreviewDraft:
    """Keep a draft file for previewing (purged after a day)."""
    draft = PreviewDraft(
        token=secrets.token_urlsafe(32),
        staff_id=member.id,
        filename=filename[:200],
        source=source,
        created_at=now,
    )
    session.add(draft)
    return draft


def sample_answers(procedure: Procedure) -> dict[str, Any]:
    """Return answers a resident could have given, one accepted sample per question."""
    answers: dict[str, Any] = {}
    for field in procedure.fields():
        kind = kind_of(field)
        sample = kind.sample_input(field)
        form = _one_field_form(field, kind)(formdata=MultiDict(sample))
        form.validate()
        answers[field.id] = kind.to_answer(form[field.id].data)
    return answers


def _one_field_form(field, kind) -> type[Form]:
    return type("SampleForm", (Form,), {field.id: kind.form_field(field, field.id, "ja")})
