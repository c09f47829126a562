"""Row ids in URLs beyond what a database column holds are 404, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from portal.web import LARGEST_ROW_ID, RowIdConverter
from tests.staff.conftest import csrf, sign_in

OUT_OF_RANGE = [
    str(LARGEST_ROW_ID + 1),  # PostgreSQL: integer out of range
    str(2**63),  # SQLite: Python int too large to convert to SQLite INTEGER
    "9" * 40,
    "0",
]


def _paths_with_ids(app) -> list[tuple[str, str]]:
    """Return (method, path template) of every route with a row id, `{}` for the id."""
    found = []
    for rule in app.url_map.iter_rules():
        if "<id:" not in rule.rule:
            continue
        template = rule.rule
        for name in rule.arguments:
            template = template.replace(f"<id:{name}>", "{}")
        found.extend((method, template) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found


def test_every_route_with_a_number_in_its_path_takes_a_bounded_row_id(app):
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                assert isinstance(converter, RowIdConverter), f"{rule.rule}: <{name}> unbounded"
    assert _paths_with_ids(app), "no route with a row id found"


@pytest.mark.parametrize("row_id", OUT_OF_RANGE)
def test_a_row_id_out_of_range_is_not_found(app, client, make_staff, row_id):
    make_staff("admin@city.yokohama.example", admin=True)
    sign_in(client, "admin@city.yokohama.example")
    token = csrf(client)
    for method, template in _paths_with_ids(app):
        path = template.format(row_id)
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"


def test_the_largest_row_id_is_an_ordinary_not_found(app, client, make_staff):
    make_staff("admin@city.yokohama.example", admin=True)
    sign_in(client, "admin@city.yokohama.example")
    assert client.get(f"/staff/submissions/{LARGEST_ROW_ID}").status_code == 404
    assert client.get(f"/staff/accounts/{LARGEST_ROW_ID}").status_code == 404
