"""Every sample procedure, walked through the test client on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import OutboxMessage, Submission
from portal.procedure.fields import field_type, kind_of
from tests.support.journey import answer_every_page, rendered_fields, start, valid_input, walk


def procedures(app):
    return app.extensions["portal.procedures"].all()


def test_catalog_lists_every_procedure_by_category(client, app):
    html = client.get("/").get_data(as_text=True)
    for procedure in procedures(app):
        assert f'href="/procedures/{procedure.id}"' in html
        assert procedure.category["ja"] in html


def test_catalog_search_finds_by_any_width_or_kana(client):
    assert "public-comment-data-plan" in client.get("/?q=ｲｹﾝ").get_data(
        as_text=True
    ) or "public-comment-data-plan" in client.get("/?q=意見").get_data(as_text=True)
    nothing = client.get("/?q=存在しない手続").get_data(as_text=True)
    assert "/procedures/" not in nothing.split("<main", 1)[1]


def test_every_sample_procedure_can_be_completed_and_is_stored_once(client, app):
    for procedure in procedures(app):
        if procedure.window.state(app.config["CLOCK"]()) != "open":
            continue
        result = walk(client, procedure)
        with app.app_context():
            stored = db.session.scalar(
                select(Submission).where(Submission.reference_number == result.reference)
            )
            assert stored is not None and stored.procedure_id == procedure.id
            mails = db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.submission_id == stored.id)
            )
            assert mails == (1 if stored.email else 0)


def test_every_page_reports_missing_and_invalid_answers_next_to_fields_and_in_summary(client, app):
    for procedure in procedures(app):
        token, path = start(client, procedure)
        while not path.endswith("/check"):
            page = procedure.page(path.rsplit("/", 1)[1])
            fields = rendered_fields(client.get(path).get_data(as_text=True), page.fields)
            required = [f for f in fields if f.required]
            if required:
                html = client.post(path, data={"csrf_token": token}).get_data(as_text=True)
                _assert_errors_shown(html, [f.id for f in required])
            for f in fields:
                bad = kind_of(f).invalid_input(f)
                if bad:
                    data = {"csrf_token": token, **valid_input(fields), **bad}
                    _assert_errors_shown(
                        client.post(path, data=data).get_data(as_text=True), [f.id]
                    )
            response = client.post(path, data={"csrf_token": token, **valid_input(fields)})
            path = response.location


def _assert_errors_shown(html: str, field_ids: list[str]) -> None:
    assert re.search(r"<title>\s*(エラー|Error):", html), "title lacks the error prefix"
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    for field_id in field_ids:
        assert f'href="#{field_id}"' in summary, f"summary does not link to {field_id}"
        assert f'id="{field_id}-error"' in html, f"no message next to {field_id}"
        assert re.search(rf'aria-describedby="[^"]*{field_id}-error', html)


def test_submitting_twice_gives_one_submission_and_the_same_reference(client, app):
    procedure = procedures(app)[0]
    first = walk(client, procedure)
    token = client.csrf_token()
    again = client.post(f"/procedures/{procedure.id}/check", data={"csrf_token": token})
    assert again.location.endswith("/complete")
    assert first.reference in client.get(again.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


def test_post_without_csrf_token_is_refused_kindly(client, app):
    procedure = procedures(app)[0]
    response = client.post(f"/procedures/{procedure.id}/start")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/procedures/no-such-procedure")
    assert response.status_code == 404
    assert "<h1>" in response.get_data(as_text=True)


def test_security_headers_are_sent(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_health_check_answers_once_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("typed", ["{ref}", "{ref_lower}", "{ref_compact}"])
def test_status_lookup_finds_an_application_by_reference_and_email(client, app, typed):
    procedure = next(p for p in procedures(app) if p.notify)
    reference = walk(client, procedure).reference
    email = field_type("email").sample_input(procedure.field(procedure.notify.email_field))
    email = next(iter(email.values()))
    entered = typed.format(
        ref=reference, ref_lower=reference.lower(), ref_compact=reference.replace("-", "")
    )
    token = client.csrf_token()
    response = client.post(
        "/status", data={"csrf_token": token, "reference_number": entered, "email": email.upper()}
    )
    assert response.location.endswith("/status/result")
    assert reference in client.get(response.location).get_data(as_text=True)


def test_status_lookup_with_the_wrong_email_reveals_nothing(client, app):
    procedure = next(p for p in procedures(app) if p.notify)
    reference = walk(client, procedure).reference
    token = client.csrf_token()
    html = client.post(
        "/status",
        data={
            "csrf_token": token,
            "reference_number": reference,
            "email": "someone.else@example.jp",
        },
    ).get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert reference not in html.split("<main", 1)[1].split("value=", 1)[0]


def test_one_check_page_walks_the_flow_once(client, app, monkeypatch):
    from portal.procedure.flow import Flow

    procedure = max(app.extensions["portal.procedures"].all(), key=lambda p: len(p.pages))
    token, path = start(client, procedure)
    path, _pages = answer_every_page(client, procedure, token, path)
    walks = []
    walk_once = Flow._walk
    monkeypatch.setattr(Flow, "_walk", lambda flow: walks.append(1) or walk_once(flow))
    assert client.get(path).status_code == 200
    assert len(walks) == 1


def test_braces_a_resident_types_are_shown_as_typed_never_as_furigana(client, app):
    from portal.staff.export import to_csv

    procedure = app.extensions["portal.procedures"].get("public-comment-data-plan")
    typed = "{意見|いけん}です"
    token, path = start(client, procedure)
    while not path.endswith("/check"):
        page = procedure.page(path.rsplit("/", 1)[1])
        html = client.get(path).get_data(as_text=True)
        data = {"csrf_token": token, **valid_input(rendered_fields(html, page.fields))}
        data.update({key: typed for key in ("name", "opinion") if key in data})
        path = urlparse(client.post(path, data=data).location).path
    check = client.get(path).get_data(as_text=True)
    assert check.count(typed) == 2 and "<rt>いけん</rt>" not in check
    client.post(path, data={"csrf_token": token})
    with app.app_context():
        stored = db.session.scalars(select(Submission)).one()
        assert stored.answers["opinion"] == typed
        sheet = to_csv(procedure, [stored]).decode("utf-8")
        assert sheet.count(typed) == 2 and "意見（いけん）" not in sheet
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert "いけん" not in mail.body.replace(typed, "")


def test_an_open_procedure_says_on_its_start_page_when_applications_close(client, app):
    now = app.config["CLOCK"]()
    for procedure in procedures(app):
        html = client.get(f"/procedures/{procedure.id}?lang=en").get_data(as_text=True)
        closing = procedure.window.state(now) == "open" and procedure.window.closes is not None
        assert ("Applications close on" in html) == closing, procedure.id
    assert any(p.window.closes and p.window.state(now) == "open" for p in procedures(app))


def test_a_signed_procedure_lists_the_signature_password_among_what_is_needed(client, app):
    for procedure in procedures(app):
        html = client.get(f"/procedures/{procedure.id}?lang=en").get_data(as_text=True)
        needs = "signature certificate (6 to 16 letters and numbers)" in html
        assert needs == (procedure.signature == "required"), procedure.id
    assert any(p.signature == "required" for p in procedures(app))
