"""The `portal` command: check procedures, migrate the database, serve."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from flask import Flask
    from flask.cli import AppGroup

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str):
    """Return the Alembic configuration for the database at `url`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(app: Flask) -> None:
    """Apply every migration to the app's database."""
    from alembic import command

    command.upgrade(alembic_config(app.config["DATABASE_URL"]), "heads")


def flask_db_command() -> AppGroup:
    """Return `flask db`, whose commands run in the app's context."""
    from flask import current_app
    from flask.cli import AppGroup

    group = AppGroup("db", help="Database migrations.")

    @group.command("upgrade")
    def _db_upgrade() -> None:
        """Apply every migration."""
        upgrade_database(current_app)
        click.echo("database is up to date")

    return group


class _Portal(click.Group):
    # Commands defined elsewhere are imported when they run, not when `portal` starts: the
    # back office, the worker and the purge pull in SQLAlchemy, Flask and the blueprints,
    # which `portal check` has no use for.
    elsewhere = {
        "staff": "portal.staff.cli:staff_command",
        "worker": "portal.staff.cli:worker_command",
        "purge": "portal.staff.cli:purge_command",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.elsewhere])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.elsewhere:
            module, _, attribute = self.elsewhere[name].partition(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


@click.group(cls=_Portal)
def main() -> None:
    """Yokohama online procedures portal."""
    from portal.config import Settings, SettingsError

    try:
        Settings.from_environ()
    except SettingsError as error:  # refuse to start, naming each bad variable
        raise click.ClickException(f"the environment is not usable:\n{error}") from None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--translations", is_flag=True, help="Also show how much of each procedure is translated."
)
@click.option("--strict", is_flag=True, help="Fail on warnings too (CI checks procedures/ so).")
def check(paths: tuple[Path, ...], translations: bool, strict: bool) -> None:
    """Validate procedure files; print file:line:col: message for each mistake and warning."""
    from portal.config import Settings
    from portal.procedure.cache import ProcedureCache
    from portal.procedure.folder import load_all, procedure_files

    settings = Settings.from_environ()
    targets = list(paths) or [settings.procedures_dir]
    files = procedure_files(targets)
    cache = ProcedureCache(settings.procedure_cache_dir) if settings.procedure_cache_dir else None
    warnings: list = []
    procedures, problems = load_all(targets, cache, warnings=warnings, parallel=True)
    # Warnings come once the mistakes are mended: a clerk fixes what stops the file first.
    for problem in sorted(problems or warnings):
        click.echo(str(problem))
    if strict and warnings and not problems:
        click.echo(f"{len(warnings)} warning(s); --strict fails on them", err=True)
        sys.exit(1)
    if problems:
        broken = len({p.file for p in problems})
        click.echo(f"{len(problems)} problem(s) in {broken} of {len(files)} file(s)", err=True)
        sys.exit(1)
    if translations:
        for procedure in procedures.values():
            click.echo(translation_coverage(procedure))
    advice = f", {len(warnings)} warning(s)" if warnings else ""
    click.echo(f"ok: {len(procedures)} procedure(s) in {len(files)} file(s), no problems{advice}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    default=Path("build/audit-report"),
    show_default=True,
    help="Where to write the JIS X 8341-3 report of these procedures.",
)
def audit(paths: tuple[Path, ...], report: Path) -> None:
    """Audit procedure files for accessibility: every page, state and language they have."""
    from portal.procedure_audit import run_audit

    sys.exit(run_audit(paths, report.resolve(), echo=click.echo))


def translation_coverage(procedure) -> str:
    """Return one line: the share of the procedure's texts written in each language."""
    from portal.locales import LANGUAGES
    from portal.procedure.text import translated_share

    texts = procedure.texts()
    shares = " ".join(
        f"{language.code} {translated_share(texts, language.code):.0%}" for language in LANGUAGES
    )
    return f"{procedure.id}: {shares}"


@main.command()
@click.option("--output", type=click.Path(path_type=Path), default=Path("procedures/schema.json"))
def schema(output: Path) -> None:
    """Write the JSON Schema of procedure files (for editors)."""
    from portal.procedure.schema import json_schema_text

    output.write_text(json_schema_text(), encoding="utf-8")
    click.echo(f"wrote {output}")


@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
def upgrade() -> None:
    """Apply every migration to PORTAL_DATABASE_URL."""
    from portal import create_app

    upgrade_database(create_app())
    click.echo("database is up to date")


@main.command()
@click.argument("procedure_id")
@click.option(
    "--seed", help="Repeat a recorded draw: the same seed and applicants give the same result."
)
def draw(procedure_id: str, seed: str | None) -> None:
    """Draw a lottery event's winners and waitlist order, and email every applicant."""
    from portal import clock, create_app
    from portal.events.lottery import DrawRefused
    from portal.events.lottery import draw as draw_lottery
    from portal.extensions import db
    from portal.resident.emails import event_notifier

    app = create_app()
    procedure = app.extensions["portal.procedures"].get(procedure_id)
    if procedure is None:
        raise click.ClickException(f"no procedure {procedure_id!r} is served")
    try:
        with app.test_request_context(base_url=app.config["BASE_URL"]):
            now = clock.now()
            with db.transaction() as tx:
                result = draw_lottery(
                    tx, procedure, now=now, seed=seed, notify=event_notifier(tx, procedure, now)
                )
    except DrawRefused as refused:
        raise click.ClickException(str(refused)) from None
    finally:
        db.dispose(app)
    click.echo(
        f"drawn {procedure_id} with seed {result.seed}: {len(result.won)} won, "
        f"{len(result.waitlisted)} waitlisted, {len(result.lost)} lost"
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, help="The port to listen on  [default: $PORT or 5000]")
@click.option("--workers", type=int, help="Worker processes  [default: $PORTAL_WORKERS or 2]")
@click.option("--threads", type=int, help="Threads in each worker  [default: $PORTAL_THREADS or 4]")
@click.option(
    "--dev",
    is_flag=True,
    help="Development server instead: one process, with the email worker and a local "
    "mailbox at /staff/dev-mailbox.",
)
def serve(host: str, port: int | None, workers: int | None, threads: int | None, dev: bool) -> None:
    """Migrate the database and serve the portal with gunicorn (workers × threads)."""
    from dataclasses import replace

    from portal.server import settings_from_environment

    settings = settings_from_environment()
    settings = replace(
        settings,
        host=host,
        port=port or settings.port,
        workers=workers or settings.workers,
        threads=threads or settings.threads,
    )
    if dev:
        from portal.staff.dev import serve_dev

        serve_dev(settings.host, settings.port)
        return
    from portal import create_app
    from portal.config import Settings
    from portal.procedure.registry import preload
    from portal.resident.catalog import prepare_search
    from portal.server import serve as serve_production

    environment = Settings.from_environ()
    preload([environment.procedures_dir], environment.procedure_cache_dir)
    app = create_app()
    prepare_search(app.extensions["portal.procedures"].all(), app.config["PORTAL_LOCALES"])
    upgrade_database(app)
    click.echo(
        f"serving http://{settings.host}:{settings.port} with {settings.workers} worker(s) "
        f"x {settings.threads} thread(s)"
    )
    serve_production(app, settings)


if __name__ == "__main__":
    main()
