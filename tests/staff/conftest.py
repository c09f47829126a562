"""Back-office fixtures: staff accounts, signing in, stored submissions, a loopback SMTP server."""

from __future__ import annotations

import re
import socket
import uuid
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest

from portal.extensions import db
from portal.models import Submission
from portal.notify.mailer import SmtpMailer, SmtpSettings
from portal.staff.accounts import add_member, grant
from portal.submissions.reference import new_reference_number
from tests.conftest import CheckedClient

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def english_browser(monkeypatch):
    """Read the back office in English: every test browser here asks for English first."""
    opened = CheckedClient.__init__

    def open_in_english(self, *args, **kwargs):
        opened(self, *args, **kwargs)
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")

    monkeypatch.setattr(CheckedClient, "__init__", open_in_english)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Hash with few rounds: scrypt's cost is the point in production, not in tests."""
    monkeypatch.setattr("portal.staff.accounts.PASSWORD_METHOD", "pbkdf2:sha256:1000")


@pytest.fixture
def make_staff(app):
    """Return a factory of staff accounts: make_staff(email, admin=…, roles={procedure: role})."""

    def make(
        email: str,
        *,
        admin: bool = False,
        roles: dict[str, str] | None = None,
        password: str = PASSWORD,
    ):
        with app.app_context(), db.transaction() as tx:
            member = add_member(
                tx,
                email=email,
                display_name=email.split("@")[0],
                password=password,
                is_admin=admin,
                now=datetime.now(UTC),
            )
            for procedure_id, role in (roles or {}).items():
                grant(tx, member, procedure_id, role)
            return member

    return make


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign `client` in to the back office; return the response."""
    token = client.csrf_token("/staff/sign-in")
    return client.post(
        "/staff/sign-in", data={"csrf_token": token, "email": email, "password": password}
    )


def csrf(client, path: str = "/staff/") -> str:
    """Return a CSRF token from a back-office page."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def make_submission(app, clock):
    """Return a factory of stored submissions (without walking the resident pages)."""

    def make(
        procedure_id: str = "bulky-waste",
        *,
        answers: dict | None = None,
        status: str = "received",
        email: str | None = "applicant@example.jp",
        locale: str = "ja",
        submitted_at: datetime | None = None,
        delete_after: datetime | None = None,
    ) -> Submission:
        now = submitted_at or clock()
        with app.app_context(), db.transaction() as tx:
            submission = Submission(
                reference_number=new_reference_number(),
                draft_token=uuid.uuid4().hex,
                procedure_id=procedure_id,
                procedure_version=1,
                answers=answers if answers is not None else {"name": "横浜 太郎"},
                email=email,
                locale=locale,
                status=status,
                submitted_at=now,
                delete_after=delete_after or now + timedelta(days=365),
            )
            tx.add(submission)
        return submission

    return make


class RecordingHandler:
    """An SMTP server's behaviour: keep what arrives; refuse the next few if told to."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.messages.append(message)
        return "250 OK"


class LoopbackSmtp:
    """A real SMTP server on 127.0.0.1 that tests can stop and start."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.handler = RecordingHandler()
        self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def mailer(self) -> SmtpMailer:
        return SmtpMailer(
            SmtpSettings(
                host="127.0.0.1", port=self.port, timeout=5, sender="no-reply@city.yokohama.example"
            )
        )


@pytest.fixture
def smtp_server():
    server = LoopbackSmtp()
    server.start()
    yield server
    server.stop()
