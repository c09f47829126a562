"""Residents completing a procedure over real HTTP: request latency p50/p99 and journeys/s.

Starts `portal serve` as production runs it (gunicorn, --workers sync workers, one thread
each, SQLite) with the sample procedures, and lets R residents each go through a procedure
again and again for --seconds: open its start page, start, answer every page it is shown
(answers derived from each question's type, as the tests do), check, submit, read the
completion page. Each resident pauses --think seconds (a range, drawn anew each time) before
every form it sends, as a person reading the page would; --think 0 measures saturation.
Prints every request's latency (p50, p99, max), journeys completed per second and errors.
Run: .venv/bin/python benchmarks/journey.py [--residents 200 --think 1-2] [--think 0 --residents 8]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal.procedure.fields import kind_of  # noqa: E402
from portal.procedure.folder import load_all  # noqa: E402
from portal.procedure.model import Procedure  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Tally:
    """What all residents measured, shared under a lock."""

    latencies: list[float] = field(default_factory=list)
    journeys: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Resident:
    """One browser: a cookie jar, and the time each request took."""

    def __init__(self, base: str, tally: Tally, think: tuple[float, float]):
        self.base = base
        self.tally = tally
        self.think = think
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """Send one request; return status, Location and body; count its latency."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                result = response.status, response.headers.get("Location", ""), response.read()
        except urllib.error.HTTPError as error:
            result = error.code, error.headers.get("Location", ""), error.read()
        elapsed = time.perf_counter() - started
        with self.tally.lock:
            self.tally.latencies.append(elapsed)
        status, location, content = result
        return status, urllib.parse.urlsplit(location).path, content.decode(errors="replace")

    def pause(self) -> None:
        low, high = self.think
        if high:
            time.sleep(random.uniform(low, high))

    def journey(self, procedure: Procedure) -> None:
        """Complete `procedure` once, as a new application; raise on anything unexpected."""
        start = f"/procedures/{procedure.id}"
        status, _, page = self.request(start)
        _expect(status == 200, f"start page {status}")
        token = CSRF.search(page).group(1)
        self.pause()
        status, at, _ = self.request(f"{start}/start", {"csrf_token": token})
        pages = {page.id: page for page in procedure.pages}
        for _ in range(len(procedure.pages) + 1):
            _expect(status == 302, f"{at or start} answered {status}")
            if at.endswith("/check"):
                break
            status, _, page = self.request(at)
            _expect(status == 200, f"{at} {status}")
            answers: dict = {"csrf_token": token, "action": "continue"}
            for question in pages[at.rsplit("/", 1)[1]].fields:
                answers.update(kind_of(question).sample_input(question))
            self.pause()
            status, next_at, _ = self.request(at, answers)
            at = next_at or at
        status, _, page = self.request(at)
        _expect(status == 200, f"check page {status}")
        self.pause()
        status, done, _ = self.request(at, {"csrf_token": token, "accept_waitlist": "1"})
        _expect(status == 302 and done.endswith("/complete"), f"submit {status} {done}")
        status, _, _ = self.request(done)
        _expect(status == 200, f"completion page {status}")


def _expect(holds: bool, what: str) -> None:
    if not holds:
        raise RuntimeError(what)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(folder: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """Start `portal serve` on a new SQLite database; return it and its address."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PORTAL_DATABASE_URL": f"sqlite:///{folder}/portal.db",
        "PORTAL_SECRET_KEY": uuid.uuid4().hex,
        "PORTAL_SECURE_COOKIES": "0",
        "PORTAL_ENV": "production",
        "PORTAL_PROCEDURES_DIR": str(ROOT / "procedures"),
        "PORTAL_PROCEDURE_CACHE_DIR": str(folder / "procedure-cache"),
        # Every simulated resident comes from 127.0.0.1: one address, no per-address limit.
        "PORTAL_RATE_LIMIT_FORMS": "",
        "PORTAL_RATE_LIMIT_LOOKUPS": "",
        "PORTAL_RATE_LIMIT_SIGN_IN": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)]
        + ["--workers", str(workers), "--threads", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return server, base
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("portal serve stopped") from None
            time.sleep(0.1)
    raise RuntimeError("portal serve did not start")


def run(base: str, procedure: Procedure, residents: int, think, seconds: float) -> Tally:
    """Let `residents` go through `procedure` until `seconds` are up; return what they saw."""
    tally = Tally()
    stop = time.perf_counter() + seconds

    def live() -> None:
        while time.perf_counter() < stop:
            try:
                Resident(base, tally, think).journey(procedure)
            except Exception as error:  # counted, not fatal: the figure says how many
                with tally.lock:
                    tally.errors.append(f"{type(error).__name__}: {error}")
                continue
            with tally.lock:
                tally.journeys += 1

    threads = [threading.Thread(target=live, daemon=True) for _ in range(residents)]
    for thread in threads:
        thread.start()
        time.sleep(min(0.01, seconds / max(residents, 1) / 10))  # not all in one instant
    for thread in threads:
        thread.join()
    return tally


def report(label: str, tally: Tally, seconds: float) -> None:
    ms = sorted(latency * 1000 for latency in tally.latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))] if ms else 0.0
    print(
        f"{label} requests={len(ms)} p50={statistics.median(ms) if ms else 0:.1f}ms "
        f"p99={p99:.1f}ms max={ms[-1] if ms else 0:.1f}ms "
        f"journeys={tally.journeys} journeys_per_s={tally.journeys / seconds:.1f} "
        f"errors={len(tally.errors)}",
        flush=True,
    )
    for error in sorted(set(tally.errors))[:5]:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedure", default="bulky-waste")
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--think", default="1-2", help="seconds before each form, e.g. 1-2 or 0")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))
    procedures, problems = load_all([ROOT / "procedures"])
    procedure = procedures[args.procedure]
    with tempfile.TemporaryDirectory() as folder:
        from alembic import command

        from portal.cli import alembic_config

        command.upgrade(alembic_config(f"sqlite:///{folder}/portal.db"), "heads")
        server, base = serve(Path(folder), args.workers)
        try:
            started = time.perf_counter()
            tally = run(base, procedure, args.residents, think, args.seconds)
            elapsed = time.perf_counter() - started
            report(
                f"{procedure.id} workers={args.workers} residents={args.residents} "
                f"think={args.think}s",
                tally,
                elapsed,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
