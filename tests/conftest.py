"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL where marked), a controlled clock,
and a test client that holds every HTML page it receives to the page invariants."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from portal import create_app
from portal.extensions import db
from tests.support.html_invariants import problems_in

POSTGRES_URL = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


class Clock:
    """A clock tests move by hand."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, *args: int) -> None:
        from portal.procedure.model import TOKYO

        self.at = datetime(*args, tzinfo=TOKYO)


class CheckedClient(FlaskClient):
    """A test client that fails the test when a page breaks a page invariant."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        # Every page a person can see, error pages included; a redirect's body is never shown.
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
            problems = problems_in(response.get_data(as_text=True))
            assert not problems, f"{response.request.path}: " + "; ".join(problems)
        return response

    def csrf_token(self, path: str = "/status") -> str:
        """Return a CSRF token for this client's session."""
        page = self.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_schema_url():
    """Yield a factory of PostgreSQL URLs, each on a fresh schema dropped at the end."""
    if not _postgres_available():
        message = f"PostgreSQL does not answer at {POSTGRES_URL}"
        if os.environ.get("PORTAL_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " and PORTAL_REQUIRE_POSTGRES=1")
        pytest.skip(message + ": PostgreSQL tests skipped")
    engine = create_engine(POSTGRES_URL)
    schemas: list[str] = []

    def make() -> str:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        schemas.append(schema)
        return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"

    yield make
    with engine.begin() as connection:
        for schema in schemas:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def _migrate(url: str) -> None:
    from alembic import command

    from portal.cli import alembic_config

    command.upgrade(alembic_config(url), "heads")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """Return a SQLite file migrated once per run; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "portal.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres_schema_url) -> str:
    """Return a PostgreSQL schema migrated once per run; each test starts with it emptied."""
    url = postgres_schema_url()
    _migrate(url)
    return url


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = (
            connection.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def sqlite_url(migrated_sqlite, tmp_path) -> str:
    """A migrated, empty SQLite database of this test's own."""
    copy = tmp_path / "portal.db"
    shutil.copyfile(migrated_sqlite, copy)
    return f"sqlite:///{copy}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request):
    """A migrated, empty database: SQLite, and PostgreSQL for tests that take both.

    A test module whose behaviour cannot depend on the database overrides this fixture
    with `sqlite_url`, to keep the suite fast.
    """
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    url = request.getfixturevalue("migrated_postgres")
    _empty_postgres(url)
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 26, 1, 0, tzinfo=UTC))


@pytest.fixture
def make_app(database_url, clock):
    """Return a factory of apps on this test's (migrated) database; engines closed at the end."""
    made = []

    def make(**overrides):
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test",
                "DATABASE_URL": database_url,
                "CLOCK": clock,
                "PORTAL_LOCALES": ["ja", "en"],
                "STUB_IDP_ENABLED": True,
                "BASE_URL": "http://localhost",
                "PROCEDURE_CACHE_DIR": None,  # tests/unit/test_procedure_cache.py covers it
                **overrides,
            }
        )
        # The identity relying party reaches the stub provider in-process, code unchanged.
        app.config.setdefault("IDENTITY_HTTP_TRANSPORT", httpx2.WSGITransport(app=app))
        app.test_client_class = CheckedClient
        made.append(app)
        return app

    yield make
    for app in made:
        db.dispose(app)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app) -> CheckedClient:
    return app.test_client()
