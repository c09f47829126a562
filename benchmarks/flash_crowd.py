"""Flash crowd: N residents apply at once for an event with M seats, over real HTTP.

Starts the portal under gunicorn (4 worker processes) on SQLite and on PostgreSQL, fires the
crowd, and prints clients, seats, confirmed, waitlisted, refused, errors and submit latency.
Run: .venv/bin/python benchmarks/flash_crowd.py [--clients 1000] [--seats 100] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
EVENT = """id: crowd
category: ベンチマーク
title: 人気の講座
summary: すぐに満席になる講座
contact: {{department: ベンチマーク課}}
notify: {{email_field: email}}
capacity: {{limit: {seats}, waitlist: {waitlist}}}
pages:
  - id: you
    title: 申込者
    fields:
      - {{id: email, type: email, label: メールアドレス, required: true}}
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def resident(base: str, email: str) -> tuple[str, float]:
    """Apply once as a new browser; return the outcome and the submit's latency in seconds."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
    )

    def post(path: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode()
        try:
            with opener.open(base + path, body, timeout=120) as response:
                return (
                    response.status,
                    response.headers.get("Location", ""),
                    response.read().decode(),
                )
        except urllib.error.HTTPError as error:
            return (
                error.code,
                error.headers.get("Location", ""),
                error.read().decode(errors="replace"),
            )

    try:
        page = opener.open(base + "/status", timeout=120).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        for path, data in (
            ("/procedures/crowd/start", {}),
            ("/procedures/crowd/you", {"email": email}),
        ):
            status, _, _ = post(path, {"csrf_token": token, **data})
            if status != 302:
                return f"error {status}", 0.0
        started = time.perf_counter()
        status, location, html = post(
            "/procedures/crowd/check", {"csrf_token": token, "accept_waitlist": "1"}
        )
        latency = time.perf_counter() - started
        if status == 302 and location.endswith("/complete"):
            return "submitted", latency
        if status == 200 and "notice--warning" in html:
            return "refused", latency
        return f"error {status}", latency
    except (OSError, AttributeError) as error:
        return f"error {type(error).__name__}", 0.0


def run(label: str, database_url: str, clients: int, seats: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "crowd.yaml").write_text(
            EVENT.format(seats=seats, waitlist=seats // 2), encoding="utf-8"
        )
        env = {
            **os.environ,
            "PORTAL_DATABASE_URL": database_url,
            "PORTAL_PROCEDURES_DIR": folder,
            "PORTAL_SECRET_KEY": uuid.uuid4().hex,
            "PORTAL_SECURE_COOKIES": "0",
            "PORTAL_ENV": "production",
            # Every simulated resident posts from 127.0.0.1: one address, no per-address limit.
            "PORTAL_RATE_LIMIT_FORMS": "",
        }
        subprocess.run(
            [sys.executable, "-m", "portal.cli", "db", "upgrade"],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                "4",
                "-k",
                "gthread",
                "--threads",
                "8",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "portal.wsgi:app",
            ],
            env=env,
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            emails = [f"r{i}@example.jp" for i in range(clients)]
            with ThreadPoolExecutor(concurrency) as pool:
                results = list(pool.map(lambda email: resident(base, email), emails))
        finally:
            server.terminate()
            server.wait(timeout=30)
        engine = create_engine(database_url)
        with engine.connect() as connection:
            states = dict(
                connection.execute(
                    text("SELECT state, count(*) FROM allocations GROUP BY state")
                ).all()
            )
        engine.dispose()
    outcomes = Counter(outcome for outcome, _ in results)
    errors = sum(count for outcome, count in outcomes.items() if outcome.startswith("error"))
    latencies = sorted(latency for outcome, latency in results if not outcome.startswith("error"))
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan")
    print(
        f"{label:<11} clients={clients} seats={seats} confirmed={states.get('confirmed', 0)} "
        f"waitlisted={states.get('waitlisted', 0)} refused={outcomes['refused']} errors={errors} "
        f"submit_p50={p50:.0f}ms submit_p99={p99:.0f}ms"
    )
    if errors:
        print("  errors:", {k: v for k, v in outcomes.items() if k.startswith("error")})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=64, help="residents in flight at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", f"sqlite:///{folder}/bench.db", args.clients, args.seats, args.concurrency)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        run(
            "postgresql",
            f"{POSTGRES}?options=-csearch_path%3D{schema}",
            args.clients,
            args.seats,
            args.concurrency,
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
