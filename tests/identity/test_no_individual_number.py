"""No 12-digit individual number is ever stored or logged, whatever journey a resident takes."""

from __future__ import annotations

import logging
import random

import pytest
from sqlalchemy import MetaData, create_engine, select

from portal.identity.individual_number import (
    check_digit,
    find_individual_numbers,
    is_individual_number,
)
from tests.support.journey import walk


def made_up_number(seed: int) -> str:
    """Return a valid-looking individual number built here (none is written in the source)."""
    rng = random.Random(seed)
    first = "".join(str(rng.randrange(10)) for _ in range(11))
    return first + str(check_digit(first))


@pytest.mark.parametrize("seed", range(5))
def test_check_digit_accepts_a_valid_number_and_refuses_every_other_last_digit(seed):
    number = made_up_number(seed)
    assert is_individual_number(number)
    for wrong in set("0123456789") - {number[-1]}:
        assert not is_individual_number(number[:-1] + wrong)


def test_finder_sees_numbers_however_they_are_written_but_not_inside_digests():
    number = made_up_number(7)
    grouped = f"{number[:4]}-{number[4:8]} {number[8:]}"
    wide = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for text in (f"番号{number}です", f'{{"n": "{grouped}"}}', wide):
        assert list(find_individual_numbers(text)) == [number]
    assert list(find_individual_numbers(f"ab{number}cd")) == []


def dump_database(url: str) -> str:
    """Return every value in every table of the database, as text."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    texts = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                texts.extend(str(value) for value in row)
    engine.dispose()
    return "\n".join(texts)


def test_after_every_journey_no_individual_number_is_in_the_database_or_the_logs(
    make_app, make_identity_app, database_url, caplog
):
    caplog.set_level(logging.DEBUG)
    for app in (make_app(), make_identity_app()):
        for procedure in app.extensions["portal.procedures"].all():
            if procedure.window.state(app.config["CLOCK"]()) != "open":
                continue
            walk(app.test_client(), procedure)
    stored = dump_database(database_url)
    assert "港 花子" in stored  # the scan does see the journeys' data
    assert list(find_individual_numbers(stored)) == []
    assert list(find_individual_numbers(caplog.text)) == []


def test_request_logs_never_show_codes_states_or_token_hints():
    from portal.identity.redaction import RedactSecrets

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '"GET %s HTTP/1.1" 302 -',
        ("/identity/callback?code=abc123&state=xyz&iss=https://idp",),
        None,
    )
    RedactSecrets().filter(record)
    shown = record.getMessage()
    assert "abc123" not in shown and "xyz" not in shown and "iss=https://idp" in shown
