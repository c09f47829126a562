"""The status workflow: 受付 → 審査中 → 完了 / 差戻し / 却下 / 取下げ, a note at every step, and
an email to the applicant, in their language, for every change."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import OutboxMessage, Submission
from portal.notify.worker import run_once
from portal.staff.models import AuditEvent, StatusChange
from portal.staff.workflow import TRANSITIONS, next_statuses
from tests.staff.conftest import csrf, sign_in
from tests.support.html_invariants import problems_in
from tests.support.journey import walk

STATUSES = list(TRANSITIONS)
ALLOWED = {
    ("received", "in_review"),
    ("received", "returned"),
    ("received", "rejected"),
    ("received", "withdrawn"),
    ("in_review", "completed"),
    ("in_review", "returned"),
    ("in_review", "rejected"),
    ("in_review", "withdrawn"),
    ("returned", "in_review"),
    ("returned", "rejected"),
    ("returned", "withdrawn"),
}


@pytest.mark.parametrize("before", STATUSES)
@pytest.mark.parametrize("after", STATUSES)
def test_only_the_workflow_steps_are_allowed(before, after):
    assert (after in next_statuses(before)) == ((before, after) in ALLOWED)


def _change(
    client,
    submission_id: int,
    to: str,
    note: str = "checked",
    message: str = "",
    expected: str | None = None,
):
    path = f"/staff/submissions/{submission_id}"
    html = client.get(path).get_data(as_text=True)
    if expected is None:
        import re

        expected = re.search(r'name="expected_status" value="([^"]*)"', html).group(1)
    return client.post(
        f"{path}/status",
        data={
            "csrf_token": csrf(client, path),
            "expected_status": expected,
            "to_status": to,
            "note": note,
            "message_to_applicant": message,
        },
    )


def _outbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


@pytest.mark.parametrize(
    "locale, reviewed, returned",
    [
        ("en", "Being reviewed", "Returned for correction"),
        ("ja", "審査中", "差戻し"),
    ],
)
def test_clerk_moves_a_submission_through_every_step_and_the_applicant_gets_each_email(
    app, make_staff, smtp_server, locale, reviewed, returned
):
    procedure = app.extensions["portal.procedures"].get("bulky-waste")
    resident = app.test_client()
    resident.get(f"/?lang={locale}")
    reference = walk(resident, procedure).reference
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    clerk = app.test_client()
    clerk.get("/?lang=en")
    sign_in(clerk, "clerk@city.example")
    with app.app_context():
        submission = db.session.scalar(select(Submission))
    steps = [
        ("in_review", "Started the review", "", reviewed),
        ("returned", "Address incomplete", "Add your flat number to the address.", returned),
        ("in_review", "Corrected by phone", "", reviewed),
        ("completed", "Collection booked", "Collection on 3 December.", None),
    ]
    sessions = app.extensions["portal.db"]
    run_once(sessions, smtp_server.mailer(), app.config["CLOCK"])
    assert len(smtp_server.messages) == 1, "the confirmation email"
    for to, note, message, label in steps:
        response = _change(clerk, submission.id, to, note, message)
        assert response.status_code == 302, response.get_data(as_text=True)
        report = run_once(sessions, smtp_server.mailer(), app.config["CLOCK"])
        assert report.sent == 1
        email = smtp_server.messages[-1]
        assert email["To"] == submission.email and reference in email["Subject"]
        body = email.get_content()
        if label:
            assert label in email["Subject"] and label in body
        if message:
            assert message in body
    assert len(smtp_server.messages) == 1 + len(steps)
    with app.app_context():
        assert db.session.get(Submission, submission.id).status == "completed"
        notes = db.session.scalars(select(StatusChange.note).order_by(StatusChange.id)).all()
        assert notes == [note for _to, note, _m, _l in steps]
        changes = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "change_status")
        )
        assert changes == len(steps)
    html = clerk.get(f"/staff/submissions/{submission.id}").get_data(as_text=True)
    assert "Collection booked" in html and "finished" in html


@pytest.mark.parametrize(
    "to, note, message, field, text",
    [
        ("returned", "incomplete", "", "message_to_applicant", "what to correct"),
        ("in_review", "", "", "note", "Enter a note about this step"),
        ("", "n", "", "to_status", "Select the new status"),
        ("completed", "n", "", "to_status", "cannot follow"),
    ],
)
def test_incomplete_status_change_is_refused_with_a_linked_error(
    app, client, make_staff, make_submission, to, note, message, field, text
):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    submission = make_submission()
    sign_in(client, "clerk@city.example")
    response = _change(client, submission.id, to, note, message)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert not problems_in(html), "the page with errors keeps the page invariants"
    assert f'href="#{field}"' in html and text in html
    assert 'aria-invalid="true"' in html or field == "to_status"
    assert _outbox_count(app) == 0
    with app.app_context():
        assert db.session.get(Submission, submission.id).status == "received"


def test_change_made_meanwhile_by_someone_else_is_not_overwritten(app, make_staff, make_submission):
    make_staff("one@city.example", roles={"bulky-waste": "clerk"})
    make_staff("two@city.example", roles={"bulky-waste": "clerk"})
    submission = make_submission()
    one, two = app.test_client(), app.test_client()
    sign_in(one, "one@city.example")
    sign_in(two, "two@city.example")
    assert _change(one, submission.id, "in_review", expected="received").status_code == 302
    response = _change(two, submission.id, "rejected", expected="received")
    assert response.status_code == 400
    assert "Someone else changed the status" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Submission, submission.id).status == "in_review"


def test_submission_without_email_changes_status_without_an_email(
    app, client, make_staff, make_submission
):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    submission = make_submission(email=None)
    sign_in(client, "clerk@city.example")
    assert _change(client, submission.id, "in_review").status_code == 302
    assert _outbox_count(app) == 0


def test_resident_sees_the_new_status_through_the_status_lookup(app, make_staff, make_submission):
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    submission = make_submission(email="taro@example.jp")
    clerk = app.test_client()
    sign_in(clerk, "clerk@city.example")
    _change(clerk, submission.id, "in_review")
    resident = app.test_client()
    resident.get("/?lang=en")
    token = resident.csrf_token("/status")
    response = resident.post(
        "/status",
        data={
            "csrf_token": token,
            "email": "taro@example.jp",
            "reference_number": submission.reference_number,
        },
    )
    assert "Being reviewed" in resident.get(response.location).get_data(as_text=True)
