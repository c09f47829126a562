"""`portal serve --dev`: the portal, the email worker and a mailbox a person can read."""

from __future__ import annotations

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
    app = create_app({"DEV_MAILBOX_DIR": str(mailbox_dir)})
    smtp_port = app.config["PORTAL_SETTINGS"].dev_smtp_port
    upgrade_database(app)
    mailbox = start_mailbox(mailbox_dir, port=smtp_port)
    mailer = SmtpMailer(
        SmtpSettings(host="127.0.0.1", port=smtp_port, sender="no-reply@city.yokohama.example")
    )
    stop = start_thread(app.extensions["portal.db"], mailer)
    password = _reset_dev_admin(app)
    click.echo(f"back office: http://{host}:{port}/staff/  {DEV_ADMIN} / {password}")
    if _link_directory_staff(app):
        click.echo(
            "  or 「職員ディレクトリでサインイン」 as a test member of staff (stub staff directory)"
        )
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


def _link_directory_staff(app) -> bool:
    """Give the stub directory's staff their back-office accounts; False without the stub."""
    from portal.extensions import db
    from portal.identity.registration import STAFF_DIRECTORY
    from portal.identity.stub_idp.personas import load_staff_personas
    from portal.staff.accounts import AccountError, add_member, grant, link_directory

    directory = app.extensions.get("portal.staff_directory")
    stub_issuer = STAFF_DIRECTORY.stub_issuer(app.config)
    if directory is None or directory.issuer != stub_issuer:
        return False
    served = app.extensions["portal.procedures"]
    with app.app_context(), db.transaction() as tx:
        for person in load_staff_personas().values():
            if not person.registered:
                continue
            member = add_member(
                tx,
                email=person.email,
                display_name=person.name,
                password=None,
                is_admin=person.admin,
                now=datetime.now(UTC),
            )
            member.active = person.active
            try:
                link_directory(tx, member, stub_issuer, person.id)
            except AccountError as error:
                click.echo(f"  {person.email}: not linked to the stub directory ({error})")
            for procedure_id in person.clerk_of:
                if served.get(procedure_id) is not None:
                    grant(tx, member, procedure_id, "clerk")
    return True
