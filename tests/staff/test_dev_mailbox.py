"""The development mailbox that `make run` starts: emails the worker sent, readable at
/staff/dev-mailbox; absent unless configured."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.notify.dev_mailbox import start_mailbox
from portal.notify.mailer import SmtpMailer, SmtpSettings
from portal.notify.outbox import enqueue
from portal.notify.worker import run_once
from portal.staff.accounts import add_member
from tests.staff.conftest import PASSWORD, LoopbackSmtp, sign_in

ADMIN = "admin@city.example"


def test_mailbox_shows_what_the_worker_sent(make_app, tmp_path, clock):
    app = make_app(DEV_MAILBOX_DIR=str(tmp_path / "mailbox"), ENV_NAME="development")
    port = LoopbackSmtp().port
    mailbox = start_mailbox(tmp_path / "mailbox", port=port)
    try:
        with app.app_context(), db.transaction() as tx:
            enqueue(
                tx,
                recipient="taro@example.jp",
                subject="受付のお知らせ",
                body="お申込みを受け付けました。",
                now=clock(),
            )
        mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=port))
        assert run_once(app.extensions["portal.db"], mailer, clock).sent == 1
    finally:
        mailbox.stop()
    admin = app.test_client()
    with app.app_context(), db.transaction() as tx:
        add_member(
            tx, email=ADMIN, display_name="admin", password=PASSWORD, is_admin=True, now=clock()
        )
    sign_in(admin, ADMIN)
    html = admin.get("/staff/dev-mailbox").get_data(as_text=True)
    assert "受付のお知らせ" in html and "お申込みを受け付けました。" in html
    assert "taro@example.jp" in html


def test_mailbox_does_not_exist_unless_configured(client, make_staff):
    make_staff(ADMIN, admin=True)
    sign_in(client, ADMIN)
    assert client.get("/staff/dev-mailbox").status_code == 404


@pytest.mark.parametrize("environment", ["development", "test", "production"])
def test_mailbox_is_for_signed_in_administrators_only_in_every_environment(
    make_app, tmp_path, clock, environment
):
    app = make_app(DEV_MAILBOX_DIR=str(tmp_path / "mailbox"), ENV_NAME=environment)
    anonymous = app.test_client().get("/staff/dev-mailbox")
    assert anonymous.status_code == 302 and "/staff/sign-in" in anonymous.location
    with app.app_context(), db.transaction() as tx:
        add_member(
            tx,
            email="clerk@city.example",
            display_name="clerk",
            password=PASSWORD,
            is_admin=False,
            now=clock(),
        )
        add_member(
            tx, email=ADMIN, display_name="admin", password=PASSWORD, is_admin=True, now=clock()
        )
    clerk = app.test_client()
    sign_in(clerk, "clerk@city.example")
    assert clerk.get("/staff/dev-mailbox").status_code == 403
    admin = app.test_client()
    sign_in(admin, ADMIN)
    # production never serves it, even to an administrator
    assert admin.get("/staff/dev-mailbox").status_code == (
        404 if environment == "production" else 200
    )
