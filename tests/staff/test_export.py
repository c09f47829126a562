"""Exports: CSV that Excel opens with Japanese intact, and JSON; both recorded in the audit."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.staff.models import AuditEvent
from tests.staff.conftest import csrf, sign_in

EXPORT = "/staff/procedures/{procedure}/export.{format}"


@pytest.fixture
def clerk(client, make_staff):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk", "citizen-lecture": "clerk"})
    sign_in(client, "clerk@city.example")
    return client


def _export(client, format_: str, procedure: str = "bulky-waste", **filters):
    token = csrf(client, f"/staff/procedures/{procedure}/submissions")
    return client.post(
        EXPORT.format(procedure=procedure, format=format_), data={"csrf_token": token, **filters}
    )


def test_csv_opens_in_excel_with_japanese_headers_dates_and_one_column_per_question(
    app, clerk, make_submission
):
    procedure = app.extensions["portal.procedures"].get("bulky-waste")
    make_submission(
        answers={
            "name": "横浜 太郎",
            "tel": "045-671-2121",
            "address": '=HYPERLINK("http://evil")',
        },
        submitted_at=datetime(2026, 4, 1, 15, 30, tzinfo=UTC),
    )
    response = _export(clerk, "csv")
    body = response.get_data()
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads UTF-8"
    text = body.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, row = rows
    assert header[:3] == ["受付番号", "受付日時", "状態"]
    assert header[3:] == [field.label["ja"] for field in procedure.fields()]
    record = dict(zip(header, row, strict=True))
    assert record["受付日時"] == "2026/04/02 00:30:00", "Tokyo time, a format Excel reads as a date"
    assert record["状態"] == "受付"
    assert record["お名前"] == "横浜 太郎"
    assert record["住所"].startswith("'="), "a formula is neutralised"


def test_csv_writes_date_answers_as_dates_and_choices_as_their_japanese_text(
    app, clerk, make_submission
):
    procedure = app.extensions["portal.procedures"].get("citizen-lecture")
    choice = next(f for f in procedure.fields() if f.type == "radio")
    make_submission("citizen-lecture", answers={choice.id: choice.options[0].value})
    header, row = list(
        csv.reader(
            io.StringIO(_export(clerk, "csv", "citizen-lecture").get_data().decode("utf-8-sig"))
        )
    )
    assert dict(zip(header, row, strict=True))[choice.label["ja"]] == choice.options[0].label["ja"]
    from portal.procedure.model import parse_field
    from portal.staff.export import _cell

    day = parse_field({"id": "born", "type": "date", "label": {"ja": "生年月日"}})
    assert _cell(day, "1985-04-01") == "1985/04/01"


def test_export_follows_the_filters_and_is_audited(app, clerk, make_submission):
    make_submission(status="received")
    wanted = make_submission(status="completed")
    response = _export(clerk, "json", status="completed")
    document = json.loads(response.get_data(as_text=True))
    assert [s["reference_number"] for s in document["submissions"]] == [wanted.reference_number]
    assert document["fields"][0]["label"]["ja"]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.detail["format"] == "json" and event.detail["count"] == 1
    assert event.detail["filter"] == {"status": "completed"}
    assert event.detail["reference_numbers"] == [wanted.reference_number]


def test_export_needs_a_csrf_token(clerk, make_submission):
    make_submission()
    response = clerk.post(EXPORT.format(procedure="bulky-waste", format="csv"), data={})
    assert response.status_code == 400
