"""Log lines nobody can forge: control characters in a logged message are written escaped.

A value from a request (a provider's `error`, an email address, a file name) may hold CR, LF or
other control characters; written raw, they start what looks like a new log line. Every record
the process makes passes through `safe_record`, installed once by `install()`.
"""

from __future__ import annotations

import logging
import re

#: C0 and C1 controls, DEL, and the Unicode line and paragraph separators
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INSTALLED = "portal_escapes_control_characters"


def escape(text: str) -> str:
    """Return `text` with every control character written as an escape (\\n, \\x1b, \\u2028)."""
    return _CONTROL.sub(lambda m: _NAMED.get(m[0]) or m[0].encode("unicode_escape").decode(), text)


def install() -> None:
    """Make every log record of this process carry its message escaped (once per process)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, _INSTALLED, False):
        return

    def safe_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: left for logging to report
            return record
        # Formatting happens here, once: what is left has no arguments to expand again.
        record.msg, record.args = escape(message), None
        return record

    setattr(safe_record, _INSTALLED, True)
    logging.setLogRecordFactory(safe_record)
