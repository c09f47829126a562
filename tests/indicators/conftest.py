"""Fixtures for the usage-count tests: an app serving the test procedures, residents walking."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.indicators.models import UsageCount

PROCEDURES = Path(__file__).parent / "procedures"
#: valid answers of the survey's pages, in order
SURVEY_PAGES = (
    ("about", {"name": "横浜 花子"}),
    ("contact", {"email": "a@example.jp"}),
    ("details", {"party": "2"}),
)


@pytest.fixture
def app(make_app):
    return make_app(PROCEDURES_DIR=str(PROCEDURES))


class Resident:
    """One resident in a browser of their own, walking the survey as far as they go."""

    def __init__(self, app, locale: str = "ja"):
        self.client = app.test_client()
        self.token = self.client.csrf_token(f"/procedures/survey?lang={locale}")

    def start(self, procedure_id: str = "survey") -> None:
        response = self.client.post(
            f"/procedures/{procedure_id}/start", data={"csrf_token": self.token}
        )
        assert response.status_code == 302

    def see(self, page_id: str, procedure_id: str = "survey") -> str:
        response = self.client.get(f"/procedures/{procedure_id}/{page_id}")
        assert response.status_code == 200, (page_id, response.status_code)
        return response.get_data(as_text=True)

    def answer(self, page_id: str, answers: dict, procedure_id: str = "survey") -> int:
        response = self.client.post(
            f"/procedures/{procedure_id}/{page_id}", data={"csrf_token": self.token, **answers}
        )
        return response.status_code

    def submit(self, procedure_id: str = "survey", **extra: str):
        return self.client.post(
            f"/procedures/{procedure_id}/check", data={"csrf_token": self.token, **extra}
        )

    def walk(self, pages: int = 3, check: bool = False, submit: bool = False) -> None:
        """Start, then see and answer `pages` pages (seeing the next), then check and submit."""
        self.start()
        for index, (page_id, answers) in enumerate(SURVEY_PAGES):
            self.see(page_id)
            if index >= pages:
                return
            assert self.answer(page_id, answers) == 302
        if check or submit:
            assert self.client.get("/procedures/survey/check").status_code == 200
        if submit:
            response = self.submit()
            assert urlparse(response.location).path == "/procedures/survey/complete"


def counts(app, procedure_id: str = "survey") -> dict[tuple[str, str], int]:
    """Return every count of a procedure, summed over days, versions, locales and levels."""
    with app.app_context():
        rows = db.session.scalars(
            select(UsageCount).where(UsageCount.procedure_id == procedure_id)
        ).all()
    found: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.event, row.subject)
        found[key] = found.get(key, 0) + row.count
    return found


from tests.staff.conftest import cheap_password_hashing, make_staff, sign_in  # noqa: E402, F401


def staff_client(app, make_member, email: str = "admin@city.example", **kwargs):
    """Return a browser signed in to the back office as a new member (English pages)."""
    make_member(email, **kwargs)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert sign_in(client, email).status_code == 302
    return client
