"""The Yokohama online procedures portal."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal import logs
from portal.config import ROOT, from_environment

if TYPE_CHECKING:
    from flask import Flask

#: Flask-Compress: pages, styles and JSON of 500 bytes or more, in brotli or gzip as the browser
#: offers; never a streamed body (a download must start at once and end as sent)
COMPRESSION = {
    "COMPRESS_MIMETYPES": ["text/html", "text/css", "application/json", "text/plain"],
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_STREAMS": False,
    "COMPRESS_MIN_SIZE": 500,
}


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, procedures, blueprints, CLI."""
    from flask import Flask

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(from_environment())
    app.config.update(overrides or {})
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "PORTAL_SECRET_KEY is not set (set PORTAL_ENV=development for a throwaway one)"
        )
    logging.basicConfig(level=logging.INFO)
    logs.install()
    _init_extensions(app)
    _init_procedures(app)
    _init_blueprints(app)
    _init_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from portal import field_widgets, i18n, static_files, web
    from portal.extensions import babel, compress, csrf, db

    # First, so that its after_request runs last, on the finished page.
    for name, value in COMPRESSION.items():
        app.config.setdefault(name, value)
    compress.init_app(app)

    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        Path(app.config["DATABASE_URL"].removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=lambda: "Asia/Tokyo")
    i18n.init_app(app)
    field_widgets.init_app(app)
    static_files.init_app(app)
    web.init_app(app)


def _init_procedures(app: Flask) -> None:
    from portal.procedure.registry import ProcedureRegistry

    cache = app.config.get("PROCEDURE_CACHE_DIR")
    app.extensions["portal.procedures"] = ProcedureRegistry.from_paths(
        [Path(app.config["PROCEDURES_DIR"])], Path(cache) if cache else None
    )


def _init_blueprints(app: Flask) -> None:
    from portal import identity, rate_limits
    from portal.indicators.views import blueprint as indicators
    from portal.resident.downloads import blueprint as downloads
    from portal.resident.resume import blueprint as resume
    from portal.resident.views import blueprint as resident
    from portal.staff import directory
    from portal.staff.views import blueprint as staff

    app.register_blueprint(resident)
    app.register_blueprint(resume)
    app.register_blueprint(downloads)
    app.register_blueprint(staff)
    app.register_blueprint(indicators)
    directory.init_app(app)
    identity.init_app(app)
    rate_limits.init_app(app)


def _init_cli(app: Flask) -> None:
    from portal.cli import flask_db_command
    from portal.staff.cli import purge_command, staff_command, worker_command

    app.cli.add_command(flask_db_command())
    for command in (staff_command, worker_command, purge_command):
        app.cli.add_command(command)
