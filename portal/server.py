"""`portal serve`: the portal as production runs it, gunicorn worker processes × threads."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from gunicorn.app.base import BaseApplication


@dataclass(frozen=True)
class ServerSettings:
    """Where to listen and how many requests to serve at once (workers × threads)."""

    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 2
    threads: int = 4
    timeout: int = 30

    def gunicorn_options(self) -> dict:
        """Return the gunicorn settings these stand for."""
        return {
            "bind": f"{self.host}:{self.port}",
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": "gthread" if self.threads > 1 else "sync",
            "timeout": self.timeout,
            # The app (procedures parsed, templates found) is built once, before the fork.
            "preload_app": True,
            "accesslog": "-",
            "post_fork": _forget_parent_connections,
            # gunicorn ≥ 25.1 opens one control socket per user by default; two portals on
            # one machine (tests, a second site) would fight over it.
            "control_socket_disable": True,
        }


def _forget_parent_connections(_server, worker) -> None:
    # A pooled connection opened before the fork belongs to the parent; each worker opens its own.
    worker.app.application.extensions["portal.db"].kw["bind"].dispose(close=False)


def settings_from_environment() -> ServerSettings:
    """Return the server settings PORT, PORTAL_WORKERS, PORTAL_THREADS and PORTAL_TIMEOUT ask for."""
    from portal.config import Settings

    settings = Settings.from_environ()
    return ServerSettings(
        port=settings.port,
        workers=settings.workers,
        threads=settings.threads,
        timeout=settings.timeout,
    )


class PortalServer(BaseApplication):
    """gunicorn serving one already built Flask app."""

    def __init__(self, app: Flask, settings: ServerSettings):
        self.application = app
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.gunicorn_options().items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def serve(app: Flask, settings: ServerSettings) -> None:
    """Serve `app` until gunicorn is told to stop (SIGTERM, SIGINT)."""
    PortalServer(app, settings).run()
