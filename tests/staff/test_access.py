"""A clerk never opens, exports or changes a submission outside their procedures: every
back-office URL is tried."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Submission
from portal.staff.models import AuditEvent
from tests.staff.conftest import csrf, sign_in
from tests.support.html_invariants import problems_in

OURS, THEIRS = "public-comment-data-plan", "bulky-waste"

# Every back-office route that touches a procedure's submissions or the administration,
# as (method, path); {id} is a submission of THEIRS, {member} another member's account.
GUARDED = [
    ("GET", f"/staff/procedures/{THEIRS}/submissions"),
    ("GET", f"/staff/procedures/{THEIRS}/submissions?q=太郎&status=received"),
    ("POST", f"/staff/procedures/{THEIRS}/export.csv"),
    ("POST", f"/staff/procedures/{THEIRS}/export.json"),
    ("POST", f"/staff/procedures/{THEIRS}/export.pdf"),
    ("GET", "/staff/submissions/{id}"),
    ("GET", "/staff/submissions/{id}/application.pdf"),
    ("GET", "/staff/submissions/{id}/application.pdf?in=resident"),
    ("POST", "/staff/submissions/{id}/status"),
    ("GET", "/staff/audit"),
    ("GET", "/staff/accounts"),
    ("GET", "/staff/accounts/new"),
    ("POST", "/staff/accounts/new"),
    ("GET", "/staff/accounts/{member}"),
    ("POST", "/staff/accounts/{member}"),
    ("GET", "/staff/dev-mailbox"),
    ("GET", f"/staff/procedures/{THEIRS}/usage"),
    ("GET", f"/staff/procedures/{THEIRS}/usage/funnel.csv"),
]
# Routes any signed-in member may use: they show no submission.
OPEN_TO_STAFF = {
    "/staff/",
    "/staff/sign-in",
    "/staff/sign-in/directory",
    "/staff/sign-in/directory/callback",
    "/staff/sign-out",
    "/staff/session/extend",
    "/staff/preview",
    "/staff/preview/<any(procedures, drafts):kind>/<key>",
    "/staff/preview/<any(procedures, drafts):kind>/<key>/pages/<page_id>",
    "/staff/preview/<any(procedures, drafts):kind>/<key>/check",
    # anonymous counts: of the member's own procedures only (tests/indicators), or the plan's
    # totals over all of them (no submission, no resident)
    "/staff/usage",
    "/staff/usage/<name>.csv",
    "/staff/indicators",
}


@pytest.fixture
def database_url(sqlite_url):
    """Run on SQLite alone: who may open what does not depend on the database."""
    return sqlite_url


def test_every_back_office_route_is_either_guarded_here_or_shows_no_submission(app):
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff")}
    guarded_rules = {
        "/staff/procedures/<procedure_id>/submissions",
        "/staff/procedures/<procedure_id>/export.<any(csv, json, pdf):format_>",
        "/staff/submissions/<id:submission_id>",
        "/staff/submissions/<id:submission_id>/status",
        "/staff/submissions/<id:submission_id>/application.pdf",
        "/staff/audit",
        "/staff/accounts",
        "/staff/accounts/new",
        "/staff/accounts/<id:member_id>",
        "/staff/dev-mailbox",
        "/staff/procedures/<procedure_id>/usage",
        "/staff/procedures/<procedure_id>/usage/<name>.csv",
    }
    assert rules == guarded_rules | OPEN_TO_STAFF, "classify the new route in this test"


@pytest.fixture
def setting(make_staff, make_submission):
    make_staff("clerk@city.example", roles={OURS: "clerk"})
    other = make_staff("viewer@city.example", roles={THEIRS: "viewer"})
    submission = make_submission(THEIRS, answers={"name": "横浜 太郎"})
    return {"id": submission.id, "member": other.id, "reference": submission.reference_number}


@pytest.mark.parametrize("method, path", GUARDED)
def test_clerk_of_another_procedure_is_refused(app, client, setting, method, path):
    sign_in(client, "clerk@city.example")
    url = path.format(**setting)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(
            url,
            data={
                "csrf_token": csrf(client),
                "to_status": "in_review",
                "expected_status": "received",
                "note": "n",
                "email": "x@city.example",
                "display_name": "x",
            },
        )
    assert response.status_code in (403, 404)
    assert setting["reference"] not in response.get_data(as_text=True)
    assert "横浜 太郎" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Submission.status)) == "received"
        views = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action.in_(["view_submission", "export", "change_status"]))
        )
        assert views == 0


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", f"/staff/procedures/{THEIRS}/export.csv"),
        ("POST", "/staff/submissions/{id}/status"),
        ("GET", "/staff/audit"),
        ("GET", "/staff/accounts"),
    ],
)
def test_viewer_reads_but_cannot_export_change_or_administer(client, setting, method, path):
    sign_in(client, "viewer@city.example")
    assert client.get(f"/staff/submissions/{setting['id']}").status_code == 200
    url = path.format(**setting)
    response = (
        client.get(url)
        if method == "GET"
        else client.post(
            url,
            data={
                "csrf_token": csrf(client),
                "to_status": "in_review",
                "expected_status": "received",
                "note": "n",
            },
        )
    )
    assert response.status_code == 403


@pytest.mark.parametrize("method, path", GUARDED + [("GET", "/staff/"), ("GET", "/staff/preview")])
def test_anonymous_visitor_is_sent_to_sign_in(client, setting, method, path):
    url = path.format(**setting)
    response = client.get(url) if method == "GET" else client.post(url, data={})
    if method == "POST" and response.status_code == 400:
        return  # refused for the missing CSRF token before anything else
    assert response.status_code == 302 and "/staff/sign-in" in response.location


def test_refusal_page_explains_and_passes_page_checks(client, setting):
    sign_in(client, "clerk@city.example")
    response = client.get(f"/staff/procedures/{THEIRS}/submissions")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "You do not have access to this page" in html and not problems_in(html)


def test_administrator_opens_every_procedure(client, make_staff, setting):
    make_staff("admin@city.example", admin=True)
    sign_in(client, "admin@city.example")
    assert client.get(f"/staff/procedures/{THEIRS}/submissions").status_code == 200
    assert client.get(f"/staff/submissions/{setting['id']}").status_code == 200
