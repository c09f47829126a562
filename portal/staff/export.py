"""Exports of submissions: CSV that Excel opens as it is, and JSON for other systems."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from portal.events.seats import Booking
from portal.models import Submission
from portal.procedure.answers import plain
from portal.procedure.fields import kind_of
from portal.procedure.model import TOKYO, Procedure
from portal.procedure.question import Question
from portal.procedure.text import plain as plain_text

BOM = "\ufeff"
# Text starting with these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIXED_HEADERS_JA = ("受付番号", "受付日時", "状態")
BOOKING_HEADERS_JA = ("席", "キャンセル待ち順", "人数")
BOOKING_NAMES_JA = {
    "confirmed": "確定",
    "waitlisted": "キャンセル待ち",
    "entered": "抽選待ち",
    "lost": "落選",
    "cancelled": "キャンセル",
}
# The workflow's own Japanese names, as clerks know them; the export is for Japanese offices.
STATUS_NAMES_JA = {
    "received": "受付",
    "in_review": "審査中",
    "completed": "完了",
    "returned": "差戻し",
    "rejected": "却下",
    "withdrawn": "取下げ",
}


def _cell(field: Question, answer: Any) -> str | int:
    if answer is None:
        return ""
    try:
        value = kind_of(field).export_value(field, answer)
    except (TypeError, ValueError):  # stored under an earlier version of the question
        return _escaped(plain(answer) or "")
    return value if isinstance(value, int) else _escaped(value)


def _columns(
    procedure: Procedure, submissions: list[Submission]
) -> list[tuple[str, Question | None]]:
    # One column per question of the procedure, then any answer an older version had.
    columns: list[tuple[str, Question | None]] = [(f.id, f) for f in procedure.fields()]
    known = {f.id for f in procedure.fields()}
    for submission in submissions:
        for key in submission.answers:
            if key not in known:
                known.add(key)
                columns.append((key, None))
    return columns


def to_csv(
    procedure: Procedure, submissions: list[Submission], bookings: dict[int, Booking] | None = None
) -> bytes:
    """Return the submissions as CSV for Excel: UTF-8 with BOM, CRLF, a column per question.

    For an event, `bookings` adds each application's seat, waitlist place and party size,
    so the same file is the participant list and the waiting list.
    """
    columns = _columns(procedure, submissions)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    booking_headers = BOOKING_HEADERS_JA if bookings is not None else ()
    writer.writerow(
        [
            *FIXED_HEADERS_JA,
            *booking_headers,
            *(plain_text(f.label, "ja") if f else key for key, f in columns),
        ]
    )
    for submission in submissions:
        submitted = submission.submitted_at.astimezone(TOKYO).strftime("%Y/%m/%d %H:%M:%S")
        status = _status_ja(submission.status)
        cells = [
            _cell(f, submission.answers.get(key))
            if f
            else _escaped(plain(submission.answers.get(key)) or "")
            for key, f in columns
        ]
        writer.writerow(
            [
                submission.reference_number,
                submitted,
                status,
                *_booking_cells(bookings, submission.id),
                *cells,
            ]
        )
    return (BOM + out.getvalue()).encode("utf-8")


def _booking_cells(bookings: dict[int, Booking] | None, submission_id: int) -> list:
    if bookings is None:
        return []
    booking = bookings.get(submission_id)
    if booking is None:
        return ["", "", ""]
    position = booking.waitlist_position if booking.waitlist_position is not None else ""
    return [BOOKING_NAMES_JA.get(booking.state, booking.state), position, booking.party_size]


def _escaped(text: str) -> str:
    """Keep a spreadsheet from running text as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _booking_json(bookings: dict[int, Booking] | None, submission_id: int) -> dict:
    if bookings is None or submission_id not in bookings:
        return {}
    booking = bookings[submission_id]
    return {
        "booking": {
            "state": booking.state,
            "party_size": booking.party_size,
            "waitlist_position": booking.waitlist_position,
        }
    }


def _status_ja(status: str) -> str:
    return STATUS_NAMES_JA.get(status, status)


def to_json(
    procedure: Procedure, submissions: list[Submission], bookings: dict[int, Booking] | None = None
) -> bytes:
    """Return the submissions and the questions' labels as JSON (answers as stored)."""
    document = {
        "procedure": {
            "id": procedure.id,
            "version": procedure.version,
            "title": dict(procedure.title),
        },
        "fields": [
            {"id": f.id, "type": f.type, "label": dict(f.label)} for f in procedure.fields()
        ],
        "submissions": [
            {
                "reference_number": s.reference_number,
                "submitted_at": s.submitted_at.isoformat(),
                "status": s.status,
                "locale": s.locale,
                "procedure_version": s.procedure_version,
                "answers": s.answers,
                **_booking_json(bookings, s.id),
            }
            for s in submissions
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
