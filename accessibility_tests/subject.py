"""The portal under audit: the real app on throwaway databases, and the journeys through it.

Each harness walks its own instance of the app (own database, own port): the walks run side
by side, and an event's seats, which journeys fill, empty and arrange, must not be shared.
"""

from __future__ import annotations

import os
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from accessibility_tests import crawl, resume_links, seats, staff
from accessibility_tests.journey import Journey, Visit
from accessibility_tests.toolchain import REPO

#: the procedure that uses every field type, setting, rule, capacity, identity and signature:
#: `make test` audits it beside the samples, so what no sample uses is audited too
EVERY_SETTING = REPO / "tests" / "fixtures" / "every_setting" / "every-setting.yaml"


@dataclass
class Instance:
    """One app on a throwaway SQLite database, to be served on `port`."""

    app: Flask
    folder: tempfile.TemporaryDirectory[str]
    port: int

    @property
    def base_url(self) -> str:
        """Return where the portal is served (it must know, to be its own identity provider)."""
        return f"http://127.0.0.1:{self.port}"

    def arrange(self, target: str) -> str | None:
        """Put an event's seats in the situation a journey needs (`procedure-id:situation`),
        or return the path of an emailed resume link (`resume:procedure-id:which`)."""
        if target.startswith(resume_links.PREFIX):
            return resume_links.open_link(self.app, target)
        procedure_id, situation = target.split(":")
        seats.arrange(self.app, procedure_id, situation)
        return None

    def close(self) -> None:
        """Delete the throwaway database."""
        self.folder.cleanup()


@dataclass
class Subject:
    """The app the Playwright harness walks, the journeys, and an instance per other harness."""

    main: Instance
    journeys: list[Journey]
    #: whether the instances serve the every-setting procedure beside the configured ones
    every_setting: bool = False
    others: dict[str, Instance] = field(default_factory=dict)

    @property
    def app(self) -> Flask:
        return self.main.app

    @property
    def port(self) -> int:
        return self.main.port

    @property
    def base_url(self) -> str:
        return self.main.base_url

    def arrange(self, target: str) -> str | None:
        """Arrange an event's seats (or find a resume link) in the main instance."""
        return self.main.arrange(target)

    def instance_for(self, harness: str) -> Instance:
        """Return the instance `harness` walks (one of its own, made on first use)."""
        if harness not in self.others:
            self.others[harness] = instance(every_setting=self.every_setting)
        return self.others[harness]

    def visits(self) -> list[Visit]:
        """Return every visit of every journey."""
        return [visit for journey in self.journeys for visit in journey.visits()]

    def close(self) -> None:
        """Delete the throwaway databases."""
        for each in (self.main, *self.others.values()):
            each.close()


def build() -> Subject:
    """Create the app as configured by the environment, on a fresh database, and plan its audit."""
    # `portal audit` audits its procedures in depth: every state of every page in every locale
    in_depth = os.environ.get("PORTAL_AUDIT_IN_DEPTH") == "1"
    main = instance(every_setting=not in_depth)
    return Subject(main, crawl.plan(main.app, in_depth=in_depth), every_setting=not in_depth)


def instance(every_setting: bool = False, **overrides: object) -> Instance:
    """Create the app as configured by the environment (and `overrides`), on a fresh database
    and a free port; with `every_setting`, serving the every-setting procedure too."""
    from portal import create_app
    from portal.cli import upgrade_database

    folder = tempfile.TemporaryDirectory(prefix="a11y-portal-")
    port = free_port()
    if every_setting:
        overrides = {"PROCEDURES_DIR": str(with_every_setting(Path(folder.name))), **overrides}
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder.name}/portal.db",
            "SECRET_KEY": "accessibility-audit",
            "SESSION_COOKIE_SECURE": False,
            "TESTING": False,
            "BASE_URL": f"http://127.0.0.1:{port}",
            "STUB_IDP_ENABLED": True,  # sign-in with the My Number card, against the local stub
            # Every browser of the audit comes from 127.0.0.1 and posts the lookups and the staff
            # sign-in in every language: per-address limits would answer 429 part-way through.
            "RATELIMIT_ENABLED": False,
            **overrides,
        }
    )
    upgrade_database(app)
    staff.add_auditor(app)
    return Instance(app, folder, port)


def with_every_setting(folder: Path) -> Path:
    """Return a folder in `folder` holding the configured procedures and the every-setting one."""
    from portal.config import Settings

    served = folder / "procedures"
    served.mkdir()
    for source in [*sorted(Settings.from_environ().procedures_dir.glob("*.yaml")), EVERY_SETTING]:
        (served / source.name).symlink_to(source)
    return served


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
