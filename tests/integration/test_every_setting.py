"""The fixture procedure that uses every field type, setting and rule operator.

Adding a field type or a setting without using it in
tests/fixtures/every_setting/every-setting.yaml fails here; the walk proves any procedure
built from them can be completed (card sign-in, prefill, capacity, signature included).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from pydantic import BaseModel
from sqlalchemy import select

from portal.extensions import db
from portal.models import Submission
from portal.procedure.fields import settings_of, type_names
from portal.procedure.loader import load_file
from portal.procedure.model import Condition, Procedure
from portal.procedure.question import Question
from tests.support.journey import answer_every_page, start, walk

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "every_setting"
PROCEDURE = load_file(FOLDER / "every-setting.yaml")


def _used_keys(node: Any, model: type[BaseModel]) -> set[str]:
    """Return the keys of `model` that are set anywhere in `node` (a part of the procedure)."""
    found: set[str] = set()
    if isinstance(node, model):
        fields = model.model_fields
        found |= {(fields[k].alias or k) for k in node.model_fields_set if k in fields}
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            found |= _used_keys(getattr(node, name), model)
    elif isinstance(node, list):
        for item in node:
            found |= _used_keys(item, model)
    return found


def test_every_field_type_is_used():
    assert {field.type for field in PROCEDURE.fields()} == set(type_names())


@pytest.mark.parametrize("kind", type_names())
def test_every_setting_of_every_type_is_used(kind):
    used = set().union(*({*f.model_fields_set} for f in PROCEDURE.fields() if f.type == kind))
    assert set(settings_of(kind)) - used == set()


def test_every_shared_question_key_and_rule_operator_is_used():
    assert set(Question.model_fields) - _used_keys(PROCEDURE, Question) == set()
    assert {"field", "equals", "not_equals", "in", "answered", "all", "any"} == _used_keys(
        PROCEDURE, Condition
    )


def test_every_key_of_the_procedure_and_its_parts_is_used():
    assert set(Procedure.model_fields) - PROCEDURE.model_fields_set == set()
    #: a lottery's draw time cannot go with first-come seats; tests/events walks lotteries
    elsewhere = {"capacity": {"draw_at"}}
    for part in ("contact", "window", "capacity", "notify"):
        value = getattr(PROCEDURE, part)
        unused = set(type(value).model_fields) - value.model_fields_set
        assert unused == elsewhere.get(part, set()), part


def test_the_fixture_procedure_can_be_completed_and_is_stored_once(make_app):
    app = make_app(PROCEDURES_DIR=str(FOLDER))
    client = app.test_client()
    procedure = app.extensions["portal.procedures"].get("every-setting")
    result = walk(client, procedure)
    assert result.reference
    with app.app_context():
        stored = db.session.scalars(select(Submission)).one()
        assert stored.answers["member_code"] and stored.answers["people"] >= 1
        assert stored.answers["full_name"]  # from the card


def test_a_waiting_list_place_accepted_before_signing_is_taken_once_signed(make_app):
    # The signed application comes back to the check page without the waiting-list button:
    # the resident was asked to join the list a second time.
    from portal.events.models import Allocation, SeatCounter
    from tests.support.signing import sign

    app = make_app(PROCEDURES_DIR=str(FOLDER))
    client = app.test_client()
    procedure = app.extensions["portal.procedures"].get("every-setting")
    with app.app_context(), db.transaction() as tx:
        tx.add(
            SeatCounter(procedure_id=procedure.id, seats_taken=100, waitlist_taken=0, queue_seq=0)
        )
    token, path = start(client, procedure)
    path, _pages = answer_every_page(client, procedure, token, path)
    joined = client.post(path, data={"csrf_token": token, "accept_waitlist": "1"})
    assert urlparse(joined.location).path == f"/procedures/{procedure.id}/sign"
    sign(client, procedure.id)
    signed = client.post(path, data={"csrf_token": token})  # the signing page's button
    assert urlparse(signed.location).path == f"/procedures/{procedure.id}/complete"
    with app.app_context():
        assert db.session.scalars(select(Allocation)).one().state == "waitlisted"
