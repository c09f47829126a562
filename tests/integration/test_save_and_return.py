"""「保存して後で続ける」: save a draft, get a link by email, continue in another browser."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlparse

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.identity.models import DraftIdentity
from portal.models import Draft, OutboxMessage, ResumeLink
from portal.retention import purge
from tests.support.identity import sign_in_with_card
from tests.support.journey import rendered_fields, start, valid_input

LINK = re.compile(r"http://localhost(/resume\?link=[^\s&]+)&lang=(\w+)")


def _procedure(app, procedure_id: str):
    return app.extensions["portal.procedures"].get(procedure_id)


def _answer(client, procedure, token: str, path: str) -> tuple[str, dict]:
    """Answer the page at `path` with sample answers; return the next path and the answers."""
    page = procedure.page(path.rsplit("/", 1)[1])
    html = client.get(path).get_data(as_text=True)
    data = valid_input(rendered_fields(html, page.fields))
    response = client.post(path, data={"csrf_token": token, **data})
    assert response.status_code == 302, response.status_code
    return urlparse(response.location).path, data


def _save(client, token: str, path: str, data: dict, email: str = "hanako@example.jp") -> str:
    """Press 「保存して後で続ける」 on `path` with `data` typed; send the link; return the page."""
    procedure_id, page_id = path.split("/")[2], path.rsplit("/", 1)[1]
    response = client.post(
        f"/procedures/{procedure_id}/save-from/{page_id}", data={"csrf_token": token, **data}
    )
    assert response.location.endswith(f"/procedures/{procedure_id}/save-for-later")
    response = client.post(
        f"/procedures/{procedure_id}/save-for-later", data={"csrf_token": token, "email": email}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return client.get(response.location).get_data(as_text=True)


def _last_email(app) -> OutboxMessage:
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


def _link(app) -> str:
    with app.app_context():
        bodies = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc()))
        return next(LINK.search(b).group(1) for b in bodies if LINK.search(b))


def _continue(client, link: str, action: str = "continue"):
    return client.post(link, data={"csrf_token": client.csrf_token(), "action": action})


@pytest.fixture
def saved(app, client):
    """Bulky-waste: first page answered, the second typed and saved; return what was typed."""
    procedure = _procedure(app, "bulky-waste")
    token, path = start(client, procedure)
    second, first_answers = _answer(client, procedure, token, path)
    page = procedure.page(second.rsplit("/", 1)[1])
    typed = valid_input(rendered_fields(client.get(second).get_data(as_text=True), page.fields))
    sent = _save(client, token, second, typed)
    return {"path": second, "typed": typed, "first": first_answers, "sent": sent, "token": token}


def test_the_save_button_is_on_every_question_page_and_the_check_page(app, client):
    procedure = _procedure(app, "bulky-waste")
    token, path = start(client, procedure)
    while not path.endswith("/check"):
        html = client.get(path).get_data(as_text=True)
        page_id = path.rsplit("/", 1)[1]
        assert f'formaction="/procedures/bulky-waste/save-from/{page_id}"' in html, path
        path, _data = _answer(client, procedure, token, path)
    assert 'action="/procedures/bulky-waste/save-from/check"' in client.get(path).get_data(
        as_text=True
    )


def test_a_saved_draft_continues_in_another_browser_on_the_page_left_with_every_answer(app, saved):
    assert "hanako@example.jp" in saved["sent"]
    other = app.test_client()
    looked = other.get(_link(app))
    assert looked.status_code == 200 and "Continue my application" not in looked.get_data(
        as_text=True
    )  # Japanese by default: the page is in the link's language
    response = _continue(other, _link(app))
    assert urlparse(response.location).path == saved["path"]
    html = unescape(other.get(saved["path"]).get_data(as_text=True))
    with app.app_context():
        answers = db.session.scalar(select(Draft.answers))
    assert set(saved["typed"]) <= set(answers), "what was typed on the page saved from is kept"
    for field_id in saved["typed"]:
        assert f'value="{answers[field_id]}"' in html, field_id
    first_page = app.extensions["portal.procedures"].get("bulky-waste").pages[0].id
    earlier = unescape(other.get(f"/procedures/bulky-waste/{first_page}").get_data(as_text=True))
    for field_id in saved["first"]:
        assert f'value="{answers[field_id]}"' in earlier, field_id


def test_the_email_gives_the_link_and_how_long_it_works_in_the_residents_language(app, client):
    procedure = _procedure(app, "bulky-waste")
    client.get("/?lang=en")
    token, path = start(client, procedure)
    _save(client, token, path, {})
    email = _last_email(app)
    assert email.recipient == "hanako@example.jp"
    assert "Continue your application later" in email.subject
    assert LINK.search(email.body).group(2) == "en"
    assert "7 days" in email.body and "one browser only" in email.body
    assert "Stop this link" in email.body


def test_the_save_page_says_how_long_the_link_works_and_refuses_a_bad_address(app, client):
    procedure = _procedure(app, "bulky-waste")
    client.get("/?lang=en")
    token, path = start(client, procedure)
    client.post(
        f"/procedures/bulky-waste/save-from/{procedure.pages[0].id}", data={"csrf_token": token}
    )
    page = client.get("/procedures/bulky-waste/save-for-later").get_data(as_text=True)
    assert "The link works for 7 days" in page
    wrong = client.post(
        "/procedures/bulky-waste/save-for-later", data={"csrf_token": token, "email": "hanako"}
    )
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and 'href="#email"' in html and 'id="email-error"' in html


def test_a_link_opens_in_one_browser_only(app, saved):
    first, second = app.test_client(), app.test_client()
    link = _link(app)
    assert _continue(first, link).status_code == 302
    assert _continue(first, link).status_code == 302, "the same browser may open it again"
    refused = _continue(second, link)
    assert refused.status_code == 410
    assert "別のブラウザ" in refused.get_data(as_text=True) or "another" in refused.get_data(
        as_text=True
    )
    looked = second.get(link)
    assert looked.status_code == 410


def test_a_newer_link_replaces_the_older_which_says_so(app, client, saved):
    older = _link(app)
    _save(client, saved["token"], saved["path"], saved["typed"])
    newer = _link(app)
    assert newer != older
    other = app.test_client()
    other.get("/?lang=en")
    page = other.get(older)
    assert page.status_code == 410 and "A newer link was sent" in page.get_data(as_text=True)
    assert _continue(app.test_client(), newer).status_code == 302


def test_an_expired_link_says_it_expired(app, clock, saved):
    clock.at += timedelta(days=7, minutes=1)
    other = app.test_client()
    other.get("/?lang=en")
    page = other.get(_link(app))
    assert page.status_code == 410 and "This link has expired" in page.get_data(as_text=True)
    with app.app_context(), db.transaction() as tx:
        purge(tx, clock())
    page = other.get(_link(app))
    assert "This link has expired" in page.get_data(as_text=True), "after the purge too"


def test_a_link_can_be_stopped_from_itself_and_from_the_sent_page(app, client, saved):
    other = app.test_client()
    other.get("/?lang=en")
    stopped = _continue(other, _link(app), action="revoke")
    assert stopped.status_code == 410 and "no longer works" in stopped.get_data(as_text=True)
    assert _continue(app.test_client(), _link(app)).status_code == 410
    _save(client, saved["token"], saved["path"], saved["typed"])
    page = client.post(
        "/procedures/bulky-waste/save-for-later/revoke", data={"csrf_token": saved["token"]}
    )
    assert page.status_code == 302
    assert _continue(app.test_client(), _link(app)).status_code == 410


def test_a_forged_or_altered_link_is_not_found(app, saved):
    link = _link(app)
    assert app.test_client().get(link[:-3] + "abc").status_code == 404
    assert app.test_client().get("/resume?link=not-a-link").status_code == 404
    assert app.test_client().get("/resume").status_code == 404


def test_the_link_no_longer_works_once_the_draft_is_submitted(app, client, saved):
    from tests.support.journey import answer_every_page

    procedure = _procedure(app, "bulky-waste")
    path, _pages = answer_every_page(client, procedure, saved["token"], saved["path"])
    assert client.post(path, data={"csrf_token": saved["token"]}).status_code == 302
    page = app.test_client().get(_link(app))
    assert page.status_code == 410


def test_purge_keeps_a_saved_draft_until_its_link_expires_then_deletes_it(app, clock, saved):
    def drafts() -> int:
        return db.session.scalar(select(func.count()).select_from(Draft))

    with app.app_context():
        clock.at += timedelta(days=3)
        with db.transaction() as tx:
            report = purge(tx, clock(), draft_days=1)
        assert drafts() == 1 and not report.abandoned_drafts, "a live link keeps its draft"
        clock.at += timedelta(days=4, minutes=1)
        with db.transaction() as tx:
            report = purge(tx, clock(), draft_days=30)
        assert report.expired_resume_drafts == {"bulky-waste": 1}
        assert drafts() == 0
        assert db.session.scalar(select(func.count()).select_from(ResumeLink)) == 0


def test_a_strict_id_draft_asks_for_the_card_sign_in_before_showing_any_answer(app, client):
    procedure = _procedure(app, "residence-certificate")
    token, path = start(client, procedure)
    page = procedure.page(path.rsplit("/", 1)[1])
    html = client.get(path).get_data(as_text=True)
    typed = valid_input(rendered_fields(html, page.fields))
    _save(client, token, path, typed)
    other = app.test_client()
    looked = other.get(_link(app)).get_data(as_text=True)
    response = _continue(other, _link(app))
    landed = other.get(response.location)
    assert landed.status_code == 302 and "/sign-in" in landed.location
    shown = looked + other.get(landed.location).get_data(as_text=True)
    with app.app_context():
        answers = db.session.scalar(select(Draft.answers))
    # what was typed (as stored) and what the card gave: none of it before the sign-in
    stored = [answers[k] for k in typed] + [answers["name"], answers["address"]]
    assert stored and typed
    assert not [v for v in stored if v in unescape(shown)]
    assert sign_in_with_card(other, path) == path
    after = unescape(other.get(path).get_data(as_text=True))
    assert not [v for v in stored if v not in after]


def test_a_strict_id_draft_is_refused_to_someone_else_signing_in(app, client):
    procedure = _procedure(app, "residence-certificate")
    token, path = start(client, procedure)
    _save(client, token, path, {})
    other = app.test_client()
    _continue(other, _link(app))
    back = sign_in_with_card(other, path, ("kaido-taro", "4321"))
    refused = other.get(back)
    assert refused.status_code == 302
    assert urlparse(refused.location).path == "/procedures/residence-certificate"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DraftIdentity)) == 1


def test_a_link_claimed_meanwhile_by_another_browser_is_refused(app, clock, saved):
    from portal.resume_links import hash_secret, open_link

    with app.app_context(), db.transaction() as tx:
        link = tx.scalars(select(ResumeLink)).one()
        secret = "unused"
        link.secret_hash, link.opened_by = hash_secret(secret), None
    with app.app_context(), db.transaction() as tx:
        looked = open_link(tx, secret, "phone", clock(), claim=False)
        tx.execute(
            ResumeLink.__table__.update().values(opened_by="laptop")
        )  # the laptop's claim lands between this session's look and its claim
        assert looked.outcome == "resume"
        assert open_link(tx, secret, "phone", clock()).outcome == "used"


def test_purge_forgets_the_address_of_links_that_can_do_nothing_more(app, client, clock, saved):
    from tests.support.journey import answer_every_page

    procedure = _procedure(app, "bulky-waste")
    path, _pages = answer_every_page(client, procedure, saved["token"], saved["path"])
    assert client.post(path, data={"csrf_token": saved["token"]}).status_code == 302
    with app.app_context():
        with db.transaction() as tx:
            report = purge(tx, clock())
        assert report.resume_links == 1, "the submitted draft's link"
        assert db.session.scalar(select(func.count()).select_from(ResumeLink)) == 0
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 1, "kept for now"
    assert app.test_client().get(_link(app)).status_code == 410
