"""Every field type's macro, rendered empty, with an error and filled, passes the page rules."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from portal.procedure.fields import kind_of, type_names
from portal.procedure.model import Page
from portal.resident.forms import page_form
from tests.integration.test_every_setting import FOLDER, PROCEDURE
from tests.support.html_invariants import problems_in

#: one question of each type, from the fixture procedure that uses every setting
QUESTIONS = {field.type: field for field in reversed(PROCEDURE.fields())}
STATES = ("empty", "error", "filled")


def _input(field, state: str) -> MultiDict | None:
    kind = kind_of(field)
    if state == "empty":
        return None
    if state == "filled":
        return MultiDict(kind.sample_input(field))
    bad = kind.invalid_input(field)
    return MultiDict(bad if bad is not None else {"unrelated": "x"})  # required, left empty


@pytest.fixture(scope="module")
def app():
    from portal import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": "sqlite://",
            "PROCEDURES_DIR": str(FOLDER),
            "WTF_CSRF_ENABLED": False,
        }
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("kind", type_names())
def test_each_field_macro_renders_a_sound_page_in_each_state(app, kind, state):
    field = QUESTIONS[kind]
    if state == "error":  # an answer left out of a required question is always an error
        field = field.model_copy(update={"required": True})
    data = _input(field, state)
    with app.test_request_context(method="POST" if data else "GET", data=data or {}):
        page = Page(id="page", title={"ja": "ページ"}, fields=[field])
        form = page_form(page, [field], "ja", {})
        if data is not None:
            form.validate()
        macro = app.jinja_env.get_template(f"components/fields/{kind}.html").module.render
        html = str(macro(field, form[field.id]))
    page = f'<!DOCTYPE html><html lang="ja"><head><title>t</title></head><body><h1>t</h1>{html}</body></html>'
    assert problems_in(page) == []
    if state == "error":
        assert 'class="error-message"' in html and 'aria-invalid="true"' in html
    else:
        assert "error-message" not in html
    if state == "filled" and kind not in ("checkboxes", "radio", "yes_no", "consent", "select"):
        typed = next(iter(kind_of(field).sample_input(field).values()))
        assert re.search(r'value="[^"]+"', html) or typed in html
