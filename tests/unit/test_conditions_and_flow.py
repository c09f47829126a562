"""Rules on answers, and the journey they shape."""

from __future__ import annotations

import pytest

from portal.procedure.conditions import holds
from portal.procedure.flow import Flow
from portal.procedure.model import Condition, Procedure


def rule(**spec) -> Condition:
    return Condition.model_validate(spec)


@pytest.mark.parametrize(
    ("spec", "answers", "expected"),
    [
        ({"field": "a", "equals": "x"}, {"a": "x"}, True),
        ({"field": "a", "equals": "x"}, {"a": "y"}, False),
        ({"field": "a", "equals": "x"}, {}, False),
        ({"field": "a", "not_equals": "x"}, {}, True),
        ({"field": "a", "not_equals": "x"}, {"a": "x"}, False),
        ({"field": "a", "in": ["x", "y"]}, {"a": "y"}, True),
        ({"field": "a", "in": ["x", "y"]}, {"a": "z"}, False),
        ({"field": "a", "answered": True}, {"a": "z"}, True),
        ({"field": "a", "answered": True}, {"a": []}, False),
        ({"field": "a", "answered": False}, {}, True),
        ({"field": "a", "equals": "bed"}, {"a": ["sofa", "bed"]}, True),
        ({"field": "a", "in": ["bed", "sofa"]}, {"a": ["chair"]}, False),
        ({"field": "n", "equals": 2}, {"n": 2}, True),
        ({"field": "c", "equals": True}, {"c": True}, True),
        (
            {"all": [{"field": "a", "equals": "x"}, {"field": "b", "equals": "y"}]},
            {"a": "x", "b": "y"},
            True,
        ),
        (
            {"all": [{"field": "a", "equals": "x"}, {"field": "b", "equals": "y"}]},
            {"a": "x"},
            False,
        ),
        ({"any": [{"field": "a", "equals": "x"}, {"field": "b", "equals": "y"}]}, {"b": "y"}, True),
        ({"any": [{"field": "a", "equals": "x"}, {"field": "b", "equals": "y"}]}, {}, False),
    ],
)
def test_rule_holds(spec, answers, expected):
    assert holds(rule(**spec), answers) is expected


@pytest.mark.parametrize(
    "spec",
    [
        {"field": "a"},
        {"field": "a", "equals": "x", "in": ["y"]},
        {"equals": "x"},
        {"all": [], "field": "a"},
        {"all": [{"field": "a", "equals": "x"}], "any": [{"field": "a", "equals": "x"}]},
    ],
)
def test_malformed_rules_are_refused(spec):
    with pytest.raises(ValueError):
        rule(**spec)


PROCEDURE = Procedure.model_validate(
    {
        "id": "p",
        "category": "c",
        "title": "t",
        "summary": "s",
        "contact": {"department": "d"},
        "pages": [
            {
                "id": "one",
                "title": "1",
                "fields": [
                    {
                        "id": "kind",
                        "type": "radio",
                        "label": "k",
                        "options": [{"value": "x", "label": "x"}, {"value": "y", "label": "y"}],
                    }
                ],
            },
            {
                "id": "two",
                "title": "2",
                "show_if": {"field": "kind", "equals": "x"},
                "fields": [{"id": "detail", "type": "yes_no", "label": "d"}],
            },
            {
                "id": "three",
                "title": "3",
                "fields": [
                    {
                        "id": "more",
                        "type": "text",
                        "label": "m",
                        "show_if": {"field": "detail", "equals": "yes"},
                    },
                    {"id": "always", "type": "text", "label": "a"},
                ],
            },
        ],
    }
)


def ids(pages) -> list[str]:
    return [page.id for page in pages]


def test_page_applies_only_when_its_rule_holds():
    assert ids(Flow(PROCEDURE, {"kind": "x"}).pages()) == ["one", "two", "three"]
    assert ids(Flow(PROCEDURE, {"kind": "y"}).pages()) == ["one", "three"]


def test_answers_behind_a_page_that_no_longer_applies_are_dropped_in_a_chain():
    flow = Flow(PROCEDURE, {"kind": "y", "detail": "yes", "more": "m", "always": "a"})
    assert flow.effective_answers() == {"kind": "y", "always": "a"}
    assert [f.id for f in flow.visible_fields(PROCEDURE.page("three"))] == ["always"]


def test_next_previous_and_position_follow_the_applicable_pages():
    flow = Flow(PROCEDURE, {"kind": "y"})
    assert flow.next_page(PROCEDURE.page("one")).id == "three"
    assert flow.next_page(PROCEDURE.page("three")) is None
    assert flow.previous_page(PROCEDURE.page("three")).id == "one"
    assert flow.position(PROCEDURE.page("three")) == (2, 2)


def test_first_unfinished_page_is_the_first_applicable_page_not_completed():
    flow = Flow(PROCEDURE, {"kind": "x"})
    assert flow.first_unfinished_page({"one", "three"}).id == "two"
    assert flow.first_unfinished_page({"one", "two", "three"}) is None
