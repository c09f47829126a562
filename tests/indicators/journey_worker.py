"""One process of residents walking the survey at once, from several threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from portal import create_app
from portal.extensions import db
from tests.indicators.conftest import PROCEDURES, Resident


def walk_once(app, number: int) -> str:
    """Walk as one resident: every third stops on the contact page, the others submit."""
    try:
        if number % 3 == 0:
            Resident(app).walk(pages=1)
            return "stopped"
        Resident(app).walk(submit=True)
        return "submitted"
    except AssertionError as error:
        return f"error {error}"


def run(database_url: str, residents: int, threads: int) -> list[str]:
    """Walk `residents` residents from `threads` threads; return every outcome."""
    from tests.conftest import CheckedClient

    app = create_app(
        {
            "SECRET_KEY": "usage-crowd",
            "DATABASE_URL": database_url,
            "PROCEDURES_DIR": str(PROCEDURES),
            "TESTING": False,
            "RATELIMIT_ENABLED": False,  # every resident comes from one test address
            "PROCEDURE_CACHE_DIR": None,
        }
    )
    app.test_client_class = CheckedClient
    try:
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(lambda number: walk_once(app, number), range(residents)))
    finally:
        db.dispose(app)
