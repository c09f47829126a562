"""200 residents from 4 processes at once for 20 seats: exact on SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
from collections import Counter

from sqlalchemy import func, select

from portal.events.models import Allocation, SeatCounter
from portal.extensions import db
from tests.events import crowd_worker

PROCESSES, RESIDENTS, THREADS = 4, 50, 8


def test_flash_crowd_gets_exactly_the_seats_and_waitlist_places_there_are(make_app):
    app = make_app(PROCEDURES_DIR=str(crowd_worker.CROWD))
    url = app.config["DATABASE_URL"]
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        runs = pool.starmap(
            crowd_worker.run, [(url, w, RESIDENTS, THREADS) for w in range(PROCESSES)]
        )
    outcomes = Counter(outcome for run in runs for outcome in run)
    assert outcomes == {"submitted": 50, "refused": 150}, outcomes
    with app.app_context():
        states = dict(
            db.session.execute(
                select(Allocation.state, func.count()).group_by(Allocation.state)
            ).all()
        )
        positions = sorted(
            db.session.scalars(
                select(Allocation.queue_position).where(Allocation.state == "waitlisted")
            )
        )
        counter = db.session.get(SeatCounter, "crowd")
    assert states == {"confirmed": 20, "waitlisted": 30}
    assert positions == list(range(1, 31))  # handed out one by one, in the order granted
    assert (counter.seats_taken, counter.waitlist_taken) == (20, 30)
