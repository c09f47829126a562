"""`portal serve`: production mode with gunicorn, its settings, and a command line that starts light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal import cli, server
from portal.server import ServerSettings, settings_from_environment

ROOT = Path(__file__).parents[2]


def test_importing_the_command_line_loads_no_back_office_database_or_flask():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, portal.cli; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    heavy = [m for m in loaded if m.split(".")[0] in ("flask", "sqlalchemy", "gunicorn")]
    heavy += [m for m in loaded if m.startswith(("portal.staff", "portal.resident", "portal.db"))]
    assert heavy == []


@pytest.mark.parametrize("name", ["staff", "worker", "purge"])
def test_back_office_commands_are_still_there(name):
    result = CliRunner().invoke(cli.main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("PORTAL_WORKERS", "3")
    monkeypatch.setenv("PORTAL_THREADS", "6")
    monkeypatch.setenv("PORTAL_TIMEOUT", "45")
    assert settings_from_environment() == ServerSettings(
        port=8123, workers=3, threads=6, timeout=45
    )


@pytest.mark.parametrize(
    ("threads", "worker_class"), [(1, "sync"), (4, "gthread")], ids=["one", "several"]
)
def test_gunicorn_gets_the_workers_threads_and_address(threads, worker_class):
    options = ServerSettings(
        host="0.0.0.0", port=8000, workers=3, threads=threads
    ).gunicorn_options()
    assert options["bind"] == "0.0.0.0:8000"
    assert (options["workers"], options["threads"]) == (3, threads)
    assert options["worker_class"] == worker_class
    assert options["preload_app"] is True


def test_gunicorn_accepts_every_setting_given(tmp_path):
    from flask import Flask

    app = server.PortalServer(Flask(__name__), ServerSettings(workers=3, threads=5))
    assert (app.cfg.workers, app.cfg.threads, app.cfg.worker_class_str) == (3, 5, "gthread")


def test_options_win_over_the_environment(monkeypatch):
    served = []
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_WORKERS", "7")
    monkeypatch.setattr(server, "serve", lambda app, settings: served.append(settings))
    monkeypatch.setattr(cli, "upgrade_database", lambda app: None)
    result = CliRunner().invoke(
        cli.main, ["serve", "--port", "8124", "--threads", "2", "--host", "0.0.0.0"]
    )
    assert result.exit_code == 0, result.output
    assert served == [ServerSettings(host="0.0.0.0", port=8124, workers=7, threads=2)]
