"""Sending one email over SMTP."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from portal.config import SmtpSettings
from portal.models import OutboxMessage

__all__ = ["SmtpMailer", "SmtpSettings", "build_message"]


def build_message(message: OutboxMessage, sender: str) -> EmailMessage:
    """Return the email for an outbox row; its Message-ID is stable, so a resend can be spotted."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(message.created_at.timestamp(), localtime=False)
    domain = sender.rpartition("@")[2] or "localhost"
    email["Message-ID"] = f"<outbox-{message.id}-{int(message.created_at.timestamp())}@{domain}>"
    email.set_content(message.body, charset="utf-8")
    return email


class SmtpMailer:
    """Send emails through one SMTP server, one connection per batch."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings

    def send(self, messages: list[OutboxMessage]) -> dict[int, str | None]:
        """Send each message; return outbox id → None when sent, or the error text."""
        results: dict[int, str | None] = {}
        try:
            with smtplib.SMTP(
                self.settings.host, self.settings.port, timeout=self.settings.timeout
            ) as smtp:
                if self.settings.starttls:
                    smtp.starttls()
                if self.settings.username:
                    smtp.login(self.settings.username, self.settings.password or "")
                for message in messages:
                    try:
                        smtp.send_message(build_message(message, self.settings.sender))
                        results[message.id] = None
                    except smtplib.SMTPException as error:
                        results[message.id] = f"{type(error).__name__}: {error}"
        except (OSError, smtplib.SMTPException) as error:
            for message in messages:
                results.setdefault(message.id, f"{type(error).__name__}: {error}")
        return results
