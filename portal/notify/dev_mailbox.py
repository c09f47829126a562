"""A development mailbox: a local SMTP server that keeps every email as a file to read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path


class MailboxHandler:
    """aiosmtpd handler that writes each message to `directory` as an .eml file."""

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope) -> str:
        name = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
        (self.directory / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def start_mailbox(directory: Path, host: str = "127.0.0.1", port: int = 8025):
    """Start the development mailbox in a thread; return its controller (call .stop())."""
    from aiosmtpd.controller import Controller

    controller = Controller(MailboxHandler(directory), hostname=host, port=port)
    controller.start()
    return controller


@dataclass(frozen=True)
class StoredEmail:
    name: str
    sender: str
    recipient: str
    subject: str
    sent_at: datetime | None
    body: str


def read_mailbox(directory: Path, limit: int = 50) -> list[StoredEmail]:
    """Return the newest emails in the mailbox, newest first."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.eml"), reverse=True)[:limit]:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        part = message.get_body(preferencelist=("plain",))
        date = message.get("Date")
        found.append(
            StoredEmail(
                name=path.stem,
                sender=str(message.get("From", "")),
                recipient=str(message.get("To", "")),
                subject=str(message.get("Subject", "")),
                sent_at=parsedate_to_datetime(date) if date else None,
                body=part.get_content() if part else "",
            )
        )
    return found
