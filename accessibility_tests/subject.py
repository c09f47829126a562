"""The portal under audit: the real app on a throwaway database, and the journeys through it."""

from __future__ import annotations

import socket
import tempfile
from dataclasses import dataclass

from flask import Flask

from accessibility_tests import crawl
from accessibility_tests.journey import Journey, Visit


@dataclass
class Subject:
    """One app on a throwaway SQLite database, and the journeys that reach all its states."""

    app: Flask
    journeys: list[Journey]
    folder: tempfile.TemporaryDirectory[str]
    port: int

    @property
    def base_url(self) -> str:
        """Return where the portal is served (it must know, to be its own identity provider)."""
        return f"http://127.0.0.1:{self.port}"

    def visits(self) -> list[Visit]:
        """Return every visit of every journey."""
        return [visit for journey in self.journeys for visit in journey.visits()]

    def close(self) -> None:
        """Delete the throwaway database."""
        self.folder.cleanup()


def build() -> Subject:
    """Create the app as configured by the environment, on a fresh database, and plan its audit."""
    from portal import create_app
    from portal.cli import upgrade_database

    folder = tempfile.TemporaryDirectory(prefix="a11y-portal-")
    port = free_port()
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder.name}/portal.db",
            "SECRET_KEY": "accessibility-audit",
            "SESSION_COOKIE_SECURE": False,
            "TESTING": False,
            "BASE_URL": f"http://127.0.0.1:{port}",
            "STUB_IDP_ENABLED": True,  # sign-in with the My Number card, against the local stub
        }
    )
    upgrade_database(app)
    return Subject(app, crawl.plan(app), folder, port)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
