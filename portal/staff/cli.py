"""Back-office commands: `portal staff add`, `portal staff link`, `portal worker`, `portal purge`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click
from flask import Flask, current_app, has_app_context


@contextmanager
def _app() -> Iterator[Flask]:
    """Yield the app of `flask …`, or a new one for `portal …`; its app context is pushed."""
    if has_app_context():
        yield current_app._get_current_object()
        return
    from portal import create_app
    from portal.cli import upgrade_database

    app = create_app()
    upgrade_database(app)
    try:
        with app.app_context():
            yield app
    finally:
        app.extensions["portal.db"].kw["bind"].dispose()


@click.group("staff")
def staff_command() -> None:
    """Staff accounts of the back office."""


@staff_command.command("add")
@click.argument("email")
@click.option("--name", default="", help="The name shown in the back office.")
@click.option("--admin", is_flag=True, help="Make the account an administrator.")
@click.option(
    "--role", type=click.Choice(["clerk", "viewer"]), help="Give this role on each --procedure."
)
@click.option("--procedure", "procedure_ids", multiple=True, help="A procedure id (repeatable).")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    prompt_required=False,
    default=None,
    help="Set the password (asked for when given without a value).",
)
@click.option("--no-password", is_flag=True, help="Staff-directory (OIDC) sign-in only.")
@click.option(
    "--directory-subject",
    help="The staff directory's subject (sub) for this member: lets them sign in through it.",
)
def add_staff(
    email: str,
    name: str,
    admin: bool,
    role: str | None,
    procedure_ids: tuple[str, ...],
    password: str | None,
    no_password: bool,
    directory_subject: str | None,
) -> None:
    """Create or update a staff account and give it roles on procedures."""
    from portal.extensions import db
    from portal.staff.accounts import AccountError, add_member, grant, link_directory

    if procedure_ids and not role:
        raise click.UsageError("--procedure needs --role clerk or --role viewer")
    if role and not procedure_ids:
        raise click.UsageError("--role needs at least one --procedure")
    if password is None and not no_password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _app() as app:
        unknown = [p for p in procedure_ids if app.extensions["portal.procedures"].get(p) is None]
        if unknown:
            raise click.UsageError(f"no procedure is served with id {', '.join(unknown)}")
        issuer = _directory_issuer(None) if directory_subject else None
        try:
            with db.transaction() as tx:
                member = add_member(
                    tx,
                    email=email,
                    display_name=name,
                    password=password,
                    is_admin=admin,
                    now=datetime.now(UTC),
                )
                for procedure_id in procedure_ids:
                    grant(tx, member, procedure_id, role)
                if directory_subject:
                    link_directory(tx, member, issuer, directory_subject.strip())
        except AccountError as error:
            raise click.UsageError(str(error)) from None
    roles = ", ".join(f"{role} of {p}" for p in procedure_ids)
    click.echo(
        f"staff account {member.email}: "
        + ("administrator" if member.is_admin else roles or "no procedures yet")
        + (f"; signs in through {issuer} as {directory_subject.strip()}" if issuer else "")
    )


def _directory_issuer(given: str | None) -> str:
    """Return `given`, or the configured staff directory's issuer; refuse when there is none."""
    from portal.staff.directory import staff_directory

    if given:
        return given
    directory = staff_directory()
    if directory is None:
        raise click.UsageError(
            "no staff directory is configured: set PORTAL_STAFF_OIDC_ISSUER and "
            "PORTAL_STAFF_OIDC_CLIENT_ID (or PORTAL_STUB_IDP=1), or give --issuer"
        )
    return directory.issuer


@staff_command.command("link")
@click.argument("email")
@click.argument("subject", required=False)
@click.option("--issuer", help="The directory's issuer (default: the configured one).")
@click.option("--unlink", is_flag=True, help="Stop the member signing in through the directory.")
def link_staff(email: str, subject: str | None, issuer: str | None, unlink: bool) -> None:
    """Let a member sign in through the staff directory as SUBJECT (the directory's `sub`)."""
    from portal import clock
    from portal.extensions import db
    from portal.staff.accounts import AccountError, find_by_email, link_directory
    from portal.staff.audit import record

    if unlink == bool(subject):
        raise click.UsageError("give the directory SUBJECT, or --unlink")
    with _app():
        issuer = None if unlink else _directory_issuer(issuer)
        try:
            with db.transaction() as tx:
                member = find_by_email(tx, email)
                if member is None:
                    raise click.UsageError(f"there is no staff account {email}")
                link_directory(tx, member, issuer, subject.strip() if subject else None)
                record(
                    tx,
                    action="account_change",
                    now=clock.now(),
                    actor=None,
                    detail={"account": member.email, "directory": issuer, "subject": subject},
                )
        except AccountError as error:
            raise click.UsageError(str(error)) from None
    click.echo(
        f"staff account {member.email}: no longer signs in through a staff directory"
        if unlink
        else f"staff account {member.email}: signs in through {issuer} as {subject}"
    )


@click.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds to wait when nothing is due.")
def worker_command(once: bool, poll: float) -> None:
    """Send the emails in the outbox over SMTP (PORTAL_SMTP_HOST, PORTAL_SMTP_PORT)."""
    from portal.notify.mailer import SmtpMailer
    from portal.notify.worker import run, run_once

    with _app() as app:
        settings = app.config["SMTP"]
        sessions = app.extensions["portal.db"]
        mailer = SmtpMailer(settings)
        if once:
            report = run_once(sessions, mailer, lambda: datetime.now(UTC))
            click.echo(f"sent {report.sent}, failed {report.failed}")
            return
        click.echo(f"sending the outbox through {settings.host}:{settings.port}; Ctrl+C stops")
        try:
            run(sessions, mailer, poll_seconds=poll)
        except KeyboardInterrupt:
            click.echo("stopped")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted, delete nothing.")
def purge_command(dry_run: bool) -> None:
    """Delete submissions past their retention date and abandoned drafts; keep counts; record it."""
    from portal import clock
    from portal.extensions import db
    from portal.retention import DRAFT_RETENTION_DAYS, purge

    with _app() as app:
        days = int(app.config.get("DRAFT_RETENTION_DAYS") or DRAFT_RETENTION_DAYS)
        with db.transaction() as tx:
            report = purge(tx, clock.now(), dry_run=dry_run, draft_days=days)
    verb = "would delete" if dry_run else "deleted"
    for procedure_id, count in sorted(report.deleted.items()):
        click.echo(f"{procedure_id}: {verb} {count} submission(s)")
    for procedure_id, count in sorted(report.abandoned_drafts.items()):
        click.echo(f"{procedure_id}: {verb} {count} draft(s) untouched for {days} days")
    for procedure_id, count in sorted(report.expired_resume_drafts.items()):
        click.echo(f"{procedure_id}: {verb} {count} saved draft(s) whose resume link expired")
    click.echo(
        f"{verb} {report.total} submission(s) in total"
        + f", {sum(report.abandoned_drafts.values())} abandoned draft(s)"
        + ("" if dry_run else f", {report.preview_drafts} preview draft(s)")
    )
