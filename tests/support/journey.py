"""Walk a procedure through the test client the way a resident would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from portal.procedure.fields import kind_of
from portal.procedure.model import Procedure
from portal.procedure.question import Question as Field
from tests.support.identity import sign_in_with_card
from tests.support.signing import sign

REFERENCE = re.compile(r"YKH-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


def rendered_fields(html: str, page_fields: list[Field]) -> list[Field]:
    """Return the questions of a page that the HTML actually shows."""
    return [f for f in page_fields if re.search(rf'name="{f.id}(-year)?"', html)]


def valid_input(fields: list[Field]) -> dict:
    data: dict = {}
    for f in fields:
        data.update(kind_of(f).sample_input(f))
    return data


@dataclass
class Walk:
    """What a walk saw: the pages in order and the reference number at the end."""

    pages: list[str] = field(default_factory=list)
    reference: str | None = None


def start(client, procedure: Procedure) -> tuple[str, str]:
    """Start a procedure; return (csrf token, path of the first question page)."""
    token = client.csrf_token(f"/procedures/{procedure.id}")
    response = client.post(f"/procedures/{procedure.id}/start", data={"csrf_token": token})
    assert response.status_code == 302, response.status_code
    path = urlparse(response.location).path
    if procedure.identity != "none":
        path = sign_in_with_card(client, path)
    return token, path


def answer_every_page(
    client, procedure: Procedure, token: str, path: str, overrides: dict | None = None
) -> tuple[str, list[str]]:
    """Answer each page from `path` on with valid sample answers (plus `overrides`) until the
    check page; return its path and the ids of the pages answered."""
    answered = []
    while not path.endswith("/check"):
        page = procedure.page(path.rsplit("/", 1)[1])
        html = client.get(path).get_data(as_text=True)
        data = {"csrf_token": token, **valid_input(rendered_fields(html, page.fields))}
        data.update({k: v for k, v in (overrides or {}).items() if k in data})
        response = client.post(path, data=data)
        assert response.status_code == 302, f"{path}: {response.status_code}"
        answered.append(page.id)
        path = urlparse(response.location).path
    return path, answered


def walk(client, procedure: Procedure, overrides: dict | None = None) -> Walk:
    """Complete `procedure` with valid sample answers (plus `overrides`) and submit it."""
    token, path = start(client, procedure)
    seen = Walk()
    path, seen.pages = answer_every_page(client, procedure, token, path, overrides)
    assert client.get(path).status_code == 200
    response = client.post(path, data={"csrf_token": token})
    if procedure.signature == "required":  # the first press leads to signing
        sign(client, procedure.id)
        response = client.post(path, data={"csrf_token": token})
    assert urlparse(response.location).path == f"/procedures/{procedure.id}/complete"
    seen.reference = REFERENCE.search(client.get(response.location).get_data(as_text=True)).group(0)
    return seen
