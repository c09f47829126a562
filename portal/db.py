"""The database: one engine per app, one session per request, one transaction per action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

WRITE = "portal_write"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, foreign keys and write-locking BEGINs."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # pysqlite's own transaction handling is off; BEGIN is issued below instead.
        connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection) -> None:
        # Reads begin DEFERRED and never block anyone (WAL). A write transaction begins
        # IMMEDIATE, taking the write lock up front, so writers queue on busy_timeout
        # instead of failing with "database is locked" when one upgrades a read lock.
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """Gives each app its engine and each request its session."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["portal.db"] = sessionmaker(engine, expire_on_commit=False)
        app.teardown_appcontext(self._close)

    @staticmethod
    def dispose(app: Flask) -> None:
        """Close every pooled connection of `app` (end of a CLI command or a test)."""
        app.extensions["portal.db"].kw["bind"].dispose()

    @property
    def engine(self) -> Engine:
        """Return the current app's engine."""
        return current_app.extensions["portal.db"].kw["bind"]

    @property
    def session(self) -> Session:
        """Return this request's session, opening it on first use."""
        if "db_session" not in g:
            g.db_session = current_app.extensions["portal.db"]()
        return g.db_session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Run one user action in one transaction: commit on success, roll back on error."""
        session = self.session
        # End whatever read transaction this request had open, then begin one that writes.
        session.commit()
        session.connection(execution_options={WRITE: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    @staticmethod
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
