"""Staff see each application's seat, and export the participant and waiting lists."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Submission
from tests.events.conftest import PROCEDURES, apply, reference_of
from tests.staff.conftest import csrf, sign_in


@pytest.fixture
def app(make_app):
    return make_app(PROCEDURES_DIR=str(PROCEDURES))


@pytest.fixture
def booked(app):
    resident = app.test_client()
    for email, party in (("a@example.jp", 2), ("b@example.jp", 1), ("c@example.jp", 2)):
        reference_of(resident, apply(resident, "workshop", email, party))
    return app


def _submission(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Submission.id).where(Submission.email == email))


def test_detail_page_shows_the_seat_or_waitlist_place(booked, make_staff):
    make_staff("clerk@example.jp", roles={"workshop": "clerk"})
    staff = booked.test_client()
    sign_in(staff, "clerk@example.jp")
    staff.get("/staff/?lang=en")
    confirmed = staff.get(f"/staff/submissions/{_submission(booked, 'a@example.jp')}")
    waiting = staff.get(f"/staff/submissions/{_submission(booked, 'c@example.jp')}")
    assert "Seat booked" in confirmed.get_data(as_text=True)
    assert "Waiting list, number 1" in waiting.get_data(as_text=True)


def test_export_is_the_participant_list_with_waitlist_order(booked, make_staff):
    make_staff("clerk@example.jp", roles={"workshop": "clerk"})
    staff = booked.test_client()
    sign_in(staff, "clerk@example.jp")
    token = csrf(staff, "/staff/procedures/workshop/submissions")
    body = staff.post("/staff/procedures/workshop/export.csv", data={"csrf_token": token}).data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header = rows[0]
    assert header[3:6] == ["席", "キャンセル待ち順", "人数"]
    by_email = {row[header.index("メールアドレス")]: row[3:6] for row in rows[1:]}
    assert by_email == {
        "a@example.jp": ["確定", "", "2"],
        "b@example.jp": ["確定", "", "1"],
        "c@example.jp": ["キャンセル待ち", "1", "2"],
    }
    document = json.loads(
        staff.post("/staff/procedures/workshop/export.json", data={"csrf_token": token}).data
    )
    states = {s["answers"]["email"]: s["booking"]["state"] for s in document["submissions"]}
    assert states["c@example.jp"] == "waitlisted"
