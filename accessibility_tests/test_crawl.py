"""The audit plan comes from the procedure definitions (no browser needed)."""

from __future__ import annotations

import pytest

from accessibility_tests import answers, crawl, journey, subject
from accessibility_tests.subject import Subject
from portal.procedure.model import Procedure, parse_field

CONDITIONAL = {
    "id": "conditional",
    "category": "テスト",
    "title": "条件付きの手続",
    "summary": "テスト用",
    "contact": {"department": "テスト課"},
    "pages": [
        {
            "id": "choose",
            "title": "選ぶ",
            "fields": [
                {
                    "id": "route",
                    "type": "radio",
                    "label": "経路",
                    "required": True,
                    "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                }
            ],
        },
        {
            "id": "only-b",
            "title": "Bのとき",
            "show_if": {"field": "route", "equals": "b"},
            "fields": [{"id": "detail", "type": "text", "label": "詳細", "required": True}],
        },
    ],
}


def test_every_page_of_every_procedure_is_audited_in_every_locale(portal: Subject) -> None:
    audited = {(v.locale, v.page) for v in portal.visits()}
    wanted = {
        (locale, f"{procedure.id}/{page.id}")
        for locale in crawl.locales(portal.app)
        for procedure in crawl.procedures(portal.app)
        if procedure.window.state(crawl.now_of(portal.app)) == "open"
        for page in procedure.pages
    }
    assert wanted - audited == set()


def test_each_question_page_is_audited_filled_as_well_as_empty(portal: Subject) -> None:
    empty = {v.page for v in portal.visits() if v.state == "empty" and v.procedure}
    filled = {v.page for v in portal.visits() if v.state == "filled" and v.procedure}
    assert empty == filled


def test_answers_are_varied_until_a_conditional_page_shows() -> None:
    procedure = Procedure.model_validate(CONDITIONAL)
    variants = answers.answer_variants(procedure)
    assert [sorted(fresh) for _choices, fresh in variants] == [["choose"], ["only-b"]]
    assert variants[1][0]["route"] == {"route": "b"}


def test_email_addresses_are_unique_per_journey() -> None:
    question = parse_field({"id": "email", "type": "email", "label": "メール"})
    given = answers.sample_input(question)["email"]
    assert answers.personalised(given, "t1") != answers.personalised(given, "t2")
    assert answers.personalised(given, "t1").endswith("+t1@example.jp")


@pytest.mark.parametrize(
    "enabled", [["ja"], ["ja", "ja_easy"], ["ja", "en"], ["en", "ja", "ko"]], ids="+".join
)
def test_keyboard_routes_press_a_button_on_each_page_whatever_the_languages(enabled) -> None:
    alone = subject.instance(PORTAL_LOCALES=enabled)
    try:
        journeys = crawl.plan(alone.app)
        locale = enabled[0]
        for procedure in crawl.procedures(alone.app):
            if procedure.window.state(crawl.now_of(alone.app)) != "open":
                continue
            route = journey.keyboard_route(journey.journey_of(journeys, locale, procedure.id))
            assert [path for path, _answers, button in route[:-1] if not button] == []
    finally:
        alone.close()
