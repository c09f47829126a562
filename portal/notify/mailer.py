"""Sending one email over SMTP."""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from portal.models import OutboxMessage


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: every part from a PORTAL_SMTP_* environment variable."""

    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "no-reply@city.yokohama.example"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> SmtpSettings:
        """Read the settings from the environment."""
        env = os.environ if environ is None else environ
        return cls(
            host=env.get("PORTAL_SMTP_HOST", cls.host),
            port=int(env.get("PORTAL_SMTP_PORT", cls.port)),
            sender=env.get("PORTAL_SMTP_SENDER", cls.sender),
            username=env.get("PORTAL_SMTP_USERNAME") or None,
            password=env.get("PORTAL_SMTP_PASSWORD") or None,
            starttls=env.get("PORTAL_SMTP_STARTTLS", "0").lower() in ("1", "true", "yes", "on"),
            timeout=float(env.get("PORTAL_SMTP_TIMEOUT", cls.timeout)),
        )


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
