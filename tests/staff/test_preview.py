"""Preview: every page and the check answers page of any procedure file, served or pasted,
with `portal check` problems shown next to the lines; nothing is ever submitted."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.config import ROOT
from portal.extensions import db
from portal.models import Draft, Submission
from tests.staff.conftest import csrf, sign_in

BROKEN = """id: broken-procedure
category: テスト
title: テスト
summary: テスト
contact:
  department: テスト課
pages:
  - id: first
    title: 最初
    fields:
      - id: name
        type: textt
        label: お名前
"""


@pytest.fixture
def member(client, make_staff):
    make_staff("viewer@city.example", roles={"bulky-waste": "viewer"})
    sign_in(client, "viewer@city.example")
    return client


def _walk_preview(client, overview: str) -> list[str]:
    html = client.get(overview).get_data(as_text=True)
    links = re.findall(r'href="([^"]+/(?:pages/[^"]+|check))"', html)
    for link in links:
        assert client.get(link).status_code == 200, link
    return links


def test_every_served_procedure_previews_every_page_and_check_answers_without_submitting(
    app, member
):
    for procedure in app.extensions["portal.procedures"].all():
        links = _walk_preview(member, f"/staff/preview/procedures/{procedure.id}")
        assert len(links) == len(procedure.pages) + 1
    check = member.get("/staff/preview/procedures/bulky-waste/check").get_data(as_text=True)
    assert "Preview" in check or "プレビュー" in check
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_pasted_draft_with_mistakes_shows_each_problem_next_to_its_line(member):
    response = member.post(
        "/staff/preview", data={"csrf_token": csrf(member, "/staff/preview"), "source": BROKEN}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "unknown field type &#39;textt&#39;" in html or "unknown field type 'textt'" in html
    assert 'href="#line-12"' in html and 'id="line-12"' in html
    line = html.split('id="line-12"', 1)[1].split("</li>", 1)[0]
    assert "textt" in line and "error-message" in line


def test_uploaded_draft_is_previewed_page_by_page(member):
    source = (Path(ROOT) / "procedures" / "bulky-waste.yaml").read_text(encoding="utf-8")
    source = source.replace("id: bulky-waste", "id: bulky-waste-draft", 1)
    response = member.post(
        "/staff/preview",
        data={
            "csrf_token": csrf(member, "/staff/preview"),
            "source": "",
            "upload": (io.BytesIO(source.encode("utf-8")), "bulky-waste-draft.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and "/staff/preview/drafts/" in response.location
    assert len(_walk_preview(member, response.location)) >= 2


def test_empty_preview_form_says_what_to_do(member):
    html = member.post(
        "/staff/preview", data={"csrf_token": csrf(member, "/staff/preview")}
    ).get_data(as_text=True)
    assert 'href="#source"' in html and "Paste the procedure file" in html


def test_drafts_are_private_to_the_member_who_pasted_them(app, member, make_staff):
    source = (Path(ROOT) / "procedures" / "bulky-waste.yaml").read_text(encoding="utf-8")
    location = member.post(
        "/staff/preview", data={"csrf_token": csrf(member, "/staff/preview"), "source": source}
    ).location
    make_staff("other@city.example")
    other = app.test_client()
    sign_in(other, "other@city.example")
    assert other.get(location).status_code == 404
