"""`portal serve` as production runs it — 2 worker processes × 4 threads on PostgreSQL — and a
resident's browser that talks to it over real HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from tests.support.html_invariants import problems_in

ROOT = Path(__file__).parents[2]
WORKERS, THREADS = 2, 4
READY_WITHIN = 60  # seconds; a server that is not answering by then is broken


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"portal serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx2.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"portal serve did not answer /healthz within {READY_WITHIN} s:\n{log.read_text()}")


@pytest.fixture(scope="package")
def portal_server(postgres_schema_url, tmp_path_factory):
    """Start `portal serve` (production mode) on a fresh schema; yield its base URL."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("portal-serve") / "server.log"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": "http-tests",
        "PORTAL_SECURE_COOKIES": "0",
        "PORTAL_DATABASE_URL": postgres_schema_url(),
        "PORTAL_PROCEDURES_DIR": str(ROOT / "procedures"),
        "PORTAL_BASE_URL": base_url,
        "PORTAL_STUB_IDP": "1",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)]
            + ["--workers", str(WORKERS), "--threads", str(THREADS)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(base_url, process, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "Traceback" not in log.read_text(), log.read_text()


class Response:
    """An HTTP response read the way tests/support reads the test client's."""

    def __init__(self, response: httpx2.Response):
        self.raw = response
        self.status_code = response.status_code
        self.location = response.headers.get("location")

    def get_data(self, as_text: bool = False):
        return self.raw.text if as_text else self.raw.content


class Browser:
    """A resident's browser over real HTTP: a cookie jar, no redirects followed, and every page
    it receives held to the page invariants (like the test client of tests/conftest.py)."""

    def __init__(self, base_url: str):
        self.http = httpx2.Client(base_url=base_url, follow_redirects=False, timeout=30)

    def open(self, method: str, url: str, **kwargs) -> Response:
        response = Response(self.http.request(method, url, **kwargs))
        html = response.raw.headers.get("content-type", "").startswith("text/html")
        if html and response.status_code < 300:
            problems = problems_in(response.raw.text)
            assert not problems, f"{url}: " + "; ".join(problems)
        return response

    def get(self, url: str, **kwargs) -> Response:
        return self.open("GET", url, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs) -> Response:
        return self.open("POST", url, data=data, **kwargs)

    def csrf_token(self, path: str = "/status") -> str:
        """Return the CSRF token of the form on `path`, as a browser would read it."""
        page = self.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def browser(portal_server):
    """A new resident's browser pointed at the running server."""
    made = Browser(portal_server)
    yield made
    made.close()


@pytest.fixture
def new_browser(portal_server):
    """Return a factory of residents' browsers, each with its own cookie jar."""
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser(portal_server))
        return made[-1]

    yield make
    for one in made:
        one.close()
