"""A copy of the answers by email: asked for on the check page, sent once, plain text."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, Submission
from portal.procedure.answers import answer_rows
from tests.support.journey import answer_every_page, start

HOSTILE = "<b>太字</b> & {漢字|かんじ}"


def _submit(app, client, procedure_id: str, data: dict, overrides: dict | None = None):
    procedure = app.extensions["portal.procedures"].get(procedure_id)
    token, path = start(client, procedure)
    path, _pages = answer_every_page(client, procedure, token, path, overrides)
    page = client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": token, **data})
    if procedure.signature == "required":
        from tests.support.signing import sign

        sign(client, procedure.id)
        response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 302, response.status_code
    with app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        mails = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.submission_id == submission.id)
        ).all()
        return procedure, submission, mails, page


def test_the_check_page_offers_the_copy_and_it_is_sent_with_every_answer(app, client):
    procedure, submission, mails, page = _submit(
        app, client, "bulky-waste", {"copy_offered": "1", "send_copy": "1"}
    )
    assert 'name="send_copy"' in page and 'for="send_copy"' in page
    assert len(mails) == 2
    copy = next(m for m in mails if m.subject.startswith("回答の控え"))
    assert copy.recipient == submission.email
    assert submission.reference_number in copy.subject and submission.reference_number in copy.body
    with app.app_context(), app.test_request_context():
        rows = answer_rows(procedure, submission.answers, "ja")
    for row in rows:
        shown = row.value if row.value is not None else "未回答"
        assert f"{row.label}: {shown}" in copy.body, row.label


def test_no_copy_unless_asked(app, client):
    _procedure, _submission, mails, _page = _submit(
        app, client, "bulky-waste", {"copy_offered": "1"}
    )
    assert len(mails) == 1


def test_the_copy_is_in_the_residents_language_and_keeps_what_they_typed_as_typed(app, client):
    client.get("/?lang=en")
    procedure = app.extensions["portal.procedures"].get("bulky-waste")
    text_field = next(f for f in procedure.fields() if f.type == "text")
    _procedure, submission, mails, _page = _submit(
        app,
        client,
        "bulky-waste",
        {"copy_offered": "1", "send_copy": "1"},
        {text_field.id: HOSTILE},
    )
    copy = next(m for m in mails if m.subject.startswith("Copy of your answers"))
    assert "Reference number: " + submission.reference_number in copy.body
    assert HOSTILE in copy.body, "typed text is neither escaped nor read as furigana in plain text"


def test_the_copy_leaves_out_what_the_my_number_card_gave(app, client):
    _procedure, submission, mails, _page = _submit(
        app, client, "residence-certificate", {"copy_offered": "1", "send_copy": "1"}
    )
    copy = next(m for m in mails if m.subject.startswith("回答の控え"))
    assert submission.answers["name"] == "港 花子"
    assert "港 花子" not in copy.body and "みなと架空町" not in copy.body
    assert "1985" not in copy.body
