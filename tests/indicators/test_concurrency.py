"""Residents from several processes at once are counted exactly (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing
from collections import Counter

from tests.indicators import journey_worker
from tests.indicators.conftest import counts

PROCESSES, RESIDENTS, THREADS = 4, 18, 6


def test_journeys_from_several_processes_at_once_are_counted_exactly(app):
    url = app.config["DATABASE_URL"]
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        runs = pool.starmap(journey_worker.run, [(url, RESIDENTS, THREADS)] * PROCESSES)
    outcomes = Counter(outcome for run in runs for outcome in run)
    stopped = PROCESSES * len(range(0, RESIDENTS, 3))
    submitted = PROCESSES * RESIDENTS - stopped
    assert outcomes == {"stopped": stopped, "submitted": submitted}, outcomes
    everyone = PROCESSES * RESIDENTS
    assert counts(app) == {
        ("draft_started", ""): everyone,
        ("page_reached", "about"): everyone,
        ("page_reached", "contact"): everyone,
        ("page_reached", "details"): submitted,
        ("check_reached", ""): submitted,
        ("submitted", ""): submitted,
        ("submitted_without_errors", ""): submitted,
    }
