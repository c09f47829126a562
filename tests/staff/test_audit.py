"""The audit trail: administrators read it; nobody can change it, not even through SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from portal.extensions import db
from portal.staff.models import AuditEvent, AuditRecordIsFinal
from tests.staff.conftest import PASSWORD, sign_in


@pytest.fixture
def trail(app, client, make_staff, make_submission):
    make_staff("admin@city.example", admin=True)
    make_staff("clerk@city.example", roles={"bulky-waste": "clerk"})
    submission = make_submission()
    clerk = app.test_client()
    sign_in(clerk, "clerk@city.example")
    clerk.get(f"/staff/submissions/{submission.id}", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    sign_in(client, "admin@city.example")
    return submission


def test_administrator_reads_who_saw_what_when_and_from_where(client, trail):
    html = client.get("/staff/audit").get_data(as_text=True)
    assert "clerk@city.example" in html and "view_submission" in html
    assert trail.reference_number in html and "10.9.8.7" in html


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("?action=view_submission", "view_submission", "sign_in</td>"),
        ("?action=sign_in", "sign_in", "view_submission</td>"),
        ("?actor=admin@city.example", "admin@city.example", "clerk@city.example</td>"),
    ],
)
def test_audit_trail_filters(client, trail, query, shown, hidden):
    html = client.get("/staff/audit" + query).get_data(as_text=True)
    assert shown in html and hidden not in html


def test_no_route_changes_the_audit_trail(app):
    methods = {
        method
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff/audit")
        for method in rule.methods
    }
    assert methods <= {"GET", "HEAD", "OPTIONS"}


def test_application_cannot_change_or_delete_an_audit_event(app, trail):
    with app.app_context():
        event = db.session.scalar(select(AuditEvent))
        event.action = "nothing"
        with pytest.raises(AuditRecordIsFinal):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalar(select(AuditEvent)))
        with pytest.raises(AuditRecordIsFinal):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET actor = 'someone else'",
        "DELETE FROM audit_events",
    ],
)
def test_database_refuses_to_change_the_audit_trail(app, trail, statement):
    with app.app_context():
        with pytest.raises(DatabaseError):
            db.session.execute(text(statement))
        db.session.rollback()
        assert (
            db.session.scalar(
                select(AuditEvent.actor).where(AuditEvent.action == "view_submission")
            )
            == "clerk@city.example"
        )


@pytest.mark.parametrize(
    "hops, forwarded_for, recorded",
    [
        (0, "203.0.113.7", "10.0.0.2"),  # no proxy configured: the header is anyone's claim
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # what the client added is ignored
        (2, "198.51.100.1, 203.0.113.7", "198.51.100.1"),
    ],
)
def test_behind_proxies_the_trail_records_the_address_the_nearest_proxy_saw(
    make_app, make_staff, hops, forwarded_for, recorded
):
    app = make_app(PROXY_HOPS=hops)
    make_staff("clerk@city.example")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    token = client.csrf_token("/staff/sign-in")
    client.post(
        "/staff/sign-in",
        data={"csrf_token": token, "email": "clerk@city.example", "password": PASSWORD},
        headers={
            "X-Forwarded-For": forwarded_for,
            "X-Forwarded-Proto": "https",
            # Over HTTPS, Flask-WTF also wants the page the form came from.
            "Referer": "https://localhost/staff/sign-in",
        },
    )
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in"))
        assert event.ip_address == recorded
