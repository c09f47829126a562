"""One process of the flash crowd: several threads of residents applying at once."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from portal import create_app
from portal.extensions import db

CROWD = Path(__file__).parent / "crowd"


def apply_once(app, email: str) -> str:
    """Apply as one resident; return 'submitted', 'refused' or 'error <status>'."""
    client = app.test_client()
    page = client.get("/status").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    steps = [("/procedures/crowd/start", {}), ("/procedures/crowd/you", {"email": email})]
    for path, data in steps:
        response = client.post(path, data={"csrf_token": token, **data})
        if response.status_code != 302:
            return f"error {response.status_code}"
    response = client.post(
        "/procedures/crowd/check", data={"csrf_token": token, "accept_waitlist": "1"}
    )
    if response.status_code == 302 and response.location.endswith("/complete"):
        return "submitted"
    if response.status_code == 200 and "notice--warning" in response.get_data(as_text=True):
        return "refused"
    return f"error {response.status_code}"


def run(database_url: str, worker: int, residents: int, threads: int) -> list[str]:
    """Apply `residents` times from `threads` threads; return every outcome."""
    app = create_app(
        {
            "SECRET_KEY": "crowd",
            "DATABASE_URL": database_url,
            "PROCEDURES_DIR": str(CROWD),
            "TESTING": False,
            "RATELIMIT_ENABLED": False,  # 50 residents a process, all from one test address
        }
    )
    emails = [f"w{worker}-r{i}@example.jp" for i in range(residents)]
    try:
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(lambda email: apply_once(app, email), emails))
    finally:
        db.dispose(app)
