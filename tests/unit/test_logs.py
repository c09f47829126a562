"""Log lines cannot be forged: control characters in any logged message are written escaped."""

from __future__ import annotations

import io
import logging

import pytest

from portal import logs


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("plain text, 日本語", "plain text, 日本語"),
        ("a\nFORGED", "a\\nFORGED"),
        ("a\r\nFORGED", "a\\r\\nFORGED"),
        ("tab\there", "tab\\there"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("nul\x00", "nul\\x00"),
        ("next line\x85", "next line\\x85"),
        ("separator\u2028x", "separator\\u2028x"),
    ],
)
def test_escape_writes_each_control_character_as_an_escape(raw, written):
    assert logs.escape(raw) == written


@pytest.fixture
def stream_logger():
    """Yield (logger, stream): a logger writing plain lines to a stream, escaping installed."""
    previous = logging.getLogRecordFactory()
    logs.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("tests.forging")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logging.setLogRecordFactory(previous)


@pytest.mark.parametrize(
    "log",
    [
        lambda logger, value: logger.info("refused: reason=%s", value),
        lambda logger, value: logger.warning(f"refused: reason={value}"),
        lambda logger, value: logger.info("refused: %(reason)s", {"reason": value}),
    ],
)
def test_a_value_with_newlines_stays_on_its_log_line(stream_logger, log):
    logger, stream = stream_logger
    log(logger, "x\nFORGED-LINE admin signed in\r\n")
    assert stream.getvalue().count("\n") == 1
    assert "x\\nFORGED-LINE" in stream.getvalue()


def test_installing_twice_escapes_once(stream_logger):
    logger, stream = stream_logger
    logs.install()
    logger.info("%s", "a\nb")
    assert stream.getvalue() == "a\\nb\n"


def test_a_percent_sign_in_an_argument_survives(stream_logger):
    logger, stream = stream_logger
    logger.info("%s", "100%s done")
    assert stream.getvalue() == "100%s done\n"
