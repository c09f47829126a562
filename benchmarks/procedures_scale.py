"""Procedures at a city's scale: checking, start-up and the catalog with 5 / 50 / 500 files.

Generates N procedure files (copies of the samples, each with its own id) in a temporary
folder and prints, for each N: `portal check` of the folder (a new process, imports included)
with an empty procedure cache and again with the cache the first check filled; loading them
in this process without a cache; the time from starting `portal serve` as production runs
it (gunicorn, --workers sync workers, the app loaded once before they fork) to its first
200 on `/`, with an empty cache and again with a filled one; and the size, p50 and p99 of the
catalog's index, one category and a search over HTTP. Ends with the ratio of the largest N
to the smallest.
Run: .venv/bin/python benchmarks/procedures_scale.py [--counts 5,50,500,1000,2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "procedures").glob("*.yaml"))
ID_LINE = re.compile(r"^id: (\S+)$", re.MULTILINE)


def generate(folder: Path, count: int) -> None:
    """Write `count` procedure files into `folder`: the samples over and over, ids numbered."""
    texts = [sample.read_text(encoding="utf-8") for sample in SAMPLES]
    for number in range(count):
        text = texts[number % len(texts)]
        text = ID_LINE.sub(rf"id: \g<1>-{number:04d}", text, count=1)
        (folder / f"p{number:04d}.yaml").write_text(text, encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_seconds(folder: Path, env: dict) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "check", str(folder)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"portal check failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def load_seconds(folder: Path) -> float:
    from portal.procedure.folder import load_all

    started = time.perf_counter()
    procedures, problems = load_all([folder])
    elapsed = time.perf_counter() - started
    assert not problems, problems[:3]
    assert len(procedures) == len(list(folder.glob("*.yaml")))
    return elapsed


#: the catalog's pages a resident uses: the category index, one category, a search
CATALOG = {
    "index": "/",
    "category": "/?" + urllib.parse.urlencode({"category": "ごみ・リサイクル"}),
    "search": "/?" + urllib.parse.urlencode({"q": "申込"}),
}


def _page_figures(url: str, samples: int) -> tuple[float, float, float]:
    """Return the page's KB (uncompressed), p50 and p99 in ms over `samples` requests."""
    times, size = [], 0
    for _ in range(samples):
        begun = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:
            size = len(response.read())
        times.append(time.perf_counter() - begun)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return size / 1024, statistics.median(times) * 1000, p99 * 1000


def start_and_catalog(env: dict, workers: int, samples: int) -> tuple[float, dict]:
    """Return seconds to the first 200 on `/`, and each catalog page's KB, p50 and p99."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)]
        + ["--workers", str(workers), "--threads", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=60) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn stopped") from None
                time.sleep(0.05)
        first = time.perf_counter() - started
        return first, {name: _page_figures(base + path, samples) for name, path in CATALOG.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="5,50,500,1000,2000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--samples", type=int, default=200, help="requests per catalog page")
    args = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    counts = [int(n) for n in args.counts.split(",")]
    rows = {}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        database = work / "portal.db"
        from alembic import command

        from portal.cli import alembic_config

        command.upgrade(alembic_config(f"sqlite:///{database}"), "heads")
        for count in counts:
            folder = work / f"procedures-{count}"
            folder.mkdir()
            generate(folder, count)
            instance = work / f"instance-{count}"
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "PORTAL_DATABASE_URL": f"sqlite:///{database}",
                "PORTAL_SECRET_KEY": uuid.uuid4().hex,
                "PORTAL_SECURE_COOKIES": "0",
                "PORTAL_ENV": "production",
                "PORTAL_PROCEDURES_DIR": str(folder),
                "PORTAL_PROCEDURE_CACHE_DIR": str(instance / "procedure-cache"),
            }
            cache = instance / "procedure-cache"
            check = check_seconds(folder, env)
            check_again = check_seconds(folder, env)
            load = load_seconds(folder)
            shutil.rmtree(cache, ignore_errors=True)
            cold = start_and_catalog(env, args.workers, args.samples)
            warm = start_and_catalog(env, args.workers, args.samples)
            rows[count] = (check, check_again, load, cold[0], warm[0])
            pages = " ".join(
                f"{name}={kb:.0f}KB p50={p50:.1f}ms p99={p99:.1f}ms"
                for name, (kb, p50, p99) in cold[1].items()
            )
            print(
                f"procedures={count:<5} check={check:.2f}s (again: {check_again:.2f}s) "
                f"load_in_process={load:.2f}s "
                f"first_200={cold[0]:.2f}s (again: {warm[0]:.2f}s) catalog: {pages}",
                flush=True,
            )
            shutil.rmtree(instance, ignore_errors=True)
    small, large = rows[min(counts)], rows[max(counts)]
    names = ("check", "check_again", "load_in_process", "first_200", "first_200_again")
    print(
        f"ratio {max(counts)} vs {min(counts)}: "
        + " ".join(f"{name}={b / a:.1f}x" for name, a, b in zip(names, small, large, strict=True))
    )


if __name__ == "__main__":
    main()
