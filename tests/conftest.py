"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL where marked), a controlled clock,
and a test client that holds every HTML page it receives to the page invariants."""

from __future__ import annotations

import os
import re
import uuid
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from portal import create_app
from portal.cli import upgrade_database
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
        if response.mimetype == "text/html" and response.status_code < 300:
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A fresh, migrated database: SQLite, and PostgreSQL for tests that take both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'portal.db'}"
    return request.getfixturevalue("postgres_schema_url")()


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 26, 1, 0, tzinfo=UTC))


@pytest.fixture
def make_app(database_url, clock):
    """Return a factory of migrated apps on this test's database; engines closed at the end."""
    made = []

    def make(**overrides):
        app = create_app({
            "TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url, "CLOCK": clock,
            "PORTAL_LOCALES": ["ja", "en"], **overrides,
        })
        upgrade_database(app)
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
