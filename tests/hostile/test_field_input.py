"""Hostile answers to resident questions: each is a message next to the field, never a 500."""

from __future__ import annotations

import pytest

from tests.support.journey import rendered_fields, start, valid_input

HUGE_YEARS = ["9999999999999999999999999", "9" * 400, "-9223372036854775809"]


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


def _date_pages(app):
    for procedure in app.extensions["portal.procedures"].all():
        for page in procedure.pages:
            dates = [f for f in page.fields if f.type == "date"]
            if dates:
                yield procedure, page, dates


@pytest.mark.parametrize("year", HUGE_YEARS)
def test_a_date_with_a_huge_year_is_a_field_error(client, app, year):
    reached = 0
    for procedure, page, dates in _date_pages(app):
        token, path = start(client, procedure)
        path = path.rsplit("/", 1)[0] + f"/{page.id}"
        html = client.get(path).get_data(as_text=True)
        fields = rendered_fields(html, page.fields)
        for date in (f for f in dates if f in fields):
            data = {"csrf_token": token, **valid_input(fields), f"{date.id}-year": year}
            response = client.post(path, data=data)
            assert response.status_code == 200, f"{path}: {response.status_code}"
            assert f'id="{date.id}-error"' in response.get_data(as_text=True)
            reached += 1
    assert reached, "no sample procedure shows a date question"


@pytest.mark.parametrize("pasted", ["a\x0bb", "\x01\x1f", "next\x85line", "\ufdd0", "\U0001fffe"])
def test_characters_html_forbids_are_not_echoed_into_the_page(client, app, pasted):
    procedure = app.extensions["portal.procedures"].get("bulky-waste")
    token, path = start(client, procedure)
    page = procedure.page(path.rsplit("/", 1)[1])
    fields = rendered_fields(client.get(path).get_data(as_text=True), page.fields)
    text = next(f for f in fields if f.type == "text")
    data = {"csrf_token": token, **valid_input(fields), text.id: pasted, "email": pasted}
    response = client.post(path, data=data)  # the client fails on a page that does not parse
    assert response.status_code in (200, 302)
    assert pasted not in response.get_data(as_text=True)
