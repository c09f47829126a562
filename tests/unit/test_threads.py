"""What a threaded server runs at once: each field's server-side work from 8 threads together."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict
from wtforms import Form

from portal.procedure.fields import field_type, type_names
from portal.procedure.fields.postal_code import find_address
from portal.procedure.folder import load_all

THREADS = 8
ROUNDS = 25
SAMPLES = Path(__file__).parents[2] / "procedures"


def together(work):
    """Run `work()` in 8 threads released at the same moment; return their results."""
    start = threading.Barrier(THREADS)

    def run():
        start.wait()
        return [work() for _ in range(ROUNDS)]

    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(run) for _ in range(THREADS)]
        return [result for future in futures for result in future.result()]


def sample_fields():
    procedures, problems = load_all([SAMPLES])
    assert not problems
    return [
        field
        for procedure in procedures.values()
        for page in procedure.pages
        for field in page.fields
    ]


@pytest.mark.parametrize(
    ("code", "address"), [("231-0017", "神奈川県横浜市中区港町"), ("000-0000", None)]
)
def test_address_lookup_answers_from_eight_threads_at_once(code, address):
    assert together(lambda: find_address(code)) == [address] * THREADS * ROUNDS


def test_address_lookup_made_first_in_another_thread_still_answers_here():
    with ThreadPoolExecutor(1) as pool:
        pool.submit(find_address, "2310017").result()
    assert find_address("2310017") == "神奈川県横浜市中区港町"


def test_every_field_reads_validates_and_displays_the_same_from_eight_threads():
    fields = sample_fields()
    app = Flask(__name__)
    Babel(app)

    def every_field():
        results = []
        with app.test_request_context():
            for field in fields:
                kind = field_type(field.type)
                form_class = type("F", (Form,), {field.id: kind.form_field(field, "質問", "ja")})
                form = form_class(formdata=MultiDict(kind.sample_input(field)))
                valid = form.validate()
                answer = kind.to_answer(form[field.id].data)
                shown = kind.display(field, answer, "ja") if answer is not None else None
                results.append((field.id, valid, answer, shown))
        return results

    alone = every_field()
    assert {field.type for field in fields} == set(type_names())
    assert all(valid for _, valid, _, _ in alone)
    assert together(every_field) == [alone] * THREADS * ROUNDS
