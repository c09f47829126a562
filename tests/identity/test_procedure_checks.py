"""Procedure definitions: card prefill and signatures only where they can work."""

from __future__ import annotations

import pytest

from portal.procedure.checks import check_procedure
from portal.procedure.model import Procedure


def definition(identity: str, field: dict, **extra) -> Procedure:
    return Procedure.model_validate(
        {
            "id": "p",
            "category": "c",
            "title": "t",
            "summary": "s",
            "contact": {"department": "d"},
            "identity": identity,
            "pages": [{"id": "a", "title": "a", "fields": [field]}],
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("identity", "field", "problem"),
    [
        ("none", {"id": "n", "type": "text", "label": "x", "prefill": "name"}, "needs `identity"),
        (
            "mynumber",
            {"id": "n", "type": "text", "label": "x", "prefill": "birthdate"},
            "cannot fill",
        ),
        ("mynumber", {"id": "n", "type": "text", "label": "x", "prefill": "name"}, None),
        ("mynumber", {"id": "n", "type": "date", "label": "x", "prefill": "birthdate"}, None),
    ],
)
def test_prefill_is_allowed_only_from_the_card_into_a_fitting_question(identity, field, problem):
    messages = [finding.message for finding in check_procedure(definition(identity, field))]
    if problem is None:
        assert messages == []
    else:
        assert len(messages) == 1 and problem in messages[0]


@pytest.mark.parametrize(("identity", "refused"), [("mynumber", False), ("none", True)])
def test_signature_required_needs_my_number_sign_in(identity, refused):
    field = {"id": "n", "type": "text", "label": "x"}
    procedure = definition(identity, field, signature="required")
    findings = [finding.at for finding in check_procedure(procedure)]
    assert findings == ([("signature",)] if refused else [])
