"""Keep codes, states and tokens out of request logs (the dev server and HTTP client log URLs)."""

from __future__ import annotations

import logging
import re

_SECRET_PARAMETER = re.compile(
    r"([?&](?:code|state|nonce|id_token_hint|code_verifier|client_assertion)=)[^&\s\"']+"
)


def redact(text: str) -> str:
    """Replace the values of secret query parameters in `text`."""
    return _SECRET_PARAMETER.sub(r"\1[redacted]", text)


class RedactSecrets(logging.Filter):
    """A logging filter that redacts secret query parameters from each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install() -> None:
    """Redact the loggers that write request URLs."""
    for name in ("werkzeug", "httpx2", "httpx", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
