"""`portal serve --dev`: the portal, the email worker and a mailbox a person can read."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime

import click

from portal.config import ROOT

DEV_ADMIN = "admin@example.jp"


def serve_dev(host: str, port: int) -> None:
    """Serve the portal with the outbox worker sending to a local mailbox, all in one process."""
    from portal import create_app
    from portal.cli import upgrade_database
    from portal.notify.dev_mailbox import start_mailbox
    from portal.notify.mailer import SmtpMailer, SmtpSettings
    from portal.notify.worker import start_thread

    mailbox_dir = ROOT / "instance" / "mailbox"
    smtp_port = int(os.environ.get("PORTAL_DEV_SMTP_PORT", "8025"))
    app = create_app({"DEV_MAILBOX_DIR": str(mailbox_dir)})
    upgrade_database(app)
    mailbox = start_mailbox(mailbox_dir, port=smtp_port)
    mailer = SmtpMailer(
        SmtpSettings(host="127.0.0.1", port=smtp_port, sender="no-reply@city.yokohama.example")
    )
    stop = start_thread(app.extensions["portal.db"], mailer)
    password = _reset_dev_admin(app)
    click.echo(f"back office: http://{host}:{port}/staff/  {DEV_ADMIN} / {password}")
    click.echo(f"emails sent: http://{host}:{port}/staff/dev-mailbox")
    try:
        app.run(host=host, port=port, debug=False)
    finally:
        stop.set()
        mailbox.stop()


def _reset_dev_admin(app) -> str:
    from portal.extensions import db
    from portal.staff.accounts import add_member

    password = secrets.token_urlsafe(12)
    with app.app_context(), db.transaction() as tx:
        add_member(
            tx,
            email=DEV_ADMIN,
            display_name="Development administrator",
            password=password,
            is_admin=True,
            now=datetime.now(UTC),
        )
    return password
