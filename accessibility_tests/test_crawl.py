"""The audit plan comes from the procedure definitions (no browser needed)."""

from __future__ import annotations

import pytest

from accessibility_tests import answers, coverage, crawl, journey, subject
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


def in_depth(portal: Subject, locale: str) -> list:
    """Return every visit of every journey in `locale`, audited or not."""
    journeys = crawl.locale_journeys(portal.app, locale, crawl.now_of(portal.app))
    return [visit for each in journeys for visit in each.visits()]


def test_every_page_of_every_open_procedure_is_walked_in_every_locale(portal: Subject) -> None:
    for locale in crawl.locales(portal.app):
        walked = {v.page for v in in_depth(portal, locale)}
        wanted = {
            f"{procedure.id}/{page.id}"
            for procedure in crawl.procedures(portal.app)
            if procedure.window.state(crawl.now_of(portal.app)) == "open"
            for page in procedure.pages
        }
        assert wanted - walked == set(), locale


def test_each_locale_audits_every_template_and_field_type_its_walk_shows(portal: Subject) -> None:
    for index, locale in enumerate(crawl.locales(portal.app)):
        audited = [v for v in portal.visits() if v.locale == locale]
        shown = coverage.covered(portal.app, in_depth(portal, locale), first=index == 0)
        assert coverage.covered(portal.app, audited, first=index == 0) == shown, locale


def test_every_field_type_the_procedures_use_is_audited_empty_and_with_an_error_everywhere(
    portal: Subject,
) -> None:
    used = {
        field.type
        for procedure in crawl.procedures(portal.app)
        if procedure.window.state(crawl.now_of(portal.app)) == "open"
        for page in procedure.pages
        for field in page.fields
    }
    for locale in crawl.locales(portal.app):
        keys = coverage.covered(portal.app, [v for v in portal.visits() if v.locale == locale])
        for state in ("empty", "error"):
            assert {kind for kind in used if (f"field:{kind}", state) in keys} == used


def test_the_first_locale_audits_each_procedures_check_answers_page(portal: Subject) -> None:
    first = crawl.locales(portal.app)[0]
    checked = {
        v.procedure for v in portal.visits() if v.locale == first and v.page.endswith("/check")
    }
    walked = {v.procedure for v in in_depth(portal, first) if v.page.endswith("/check")}
    assert checked == walked


def test_each_question_page_is_walked_filled_as_well_as_empty(portal: Subject) -> None:
    visits = in_depth(portal, crawl.locales(portal.app)[0])
    empty = {v.page for v in visits if v.state == "empty" and v.procedure}
    filled = {v.page for v in visits if v.state == "filled" and v.procedure}
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
        locale = enabled[0]
        journeys = crawl.locale_journeys(alone.app, locale, crawl.now_of(alone.app))
        for procedure in crawl.procedures(alone.app):
            if procedure.window.state(crawl.now_of(alone.app)) != "open":
                continue
            route = journey.keyboard_route(journey.journey_of(journeys, locale, procedure.id))
            assert [path for path, _answers, button in route[:-1] if not button] == []
    finally:
        alone.close()


def test_a_locale_skips_the_wrong_answers_of_error_states_it_does_not_audit(
    portal: Subject,
) -> None:
    def visit(page: str, state: journey.State) -> journey.Visit:
        return journey.Visit("en", page, state, f"/{page}")

    def errors_then(last: str) -> journey.Journey:
        return journey.Journey(
            last,
            "en",
            (
                journey.Step("open", "/form", visit=visit("form", "shown")),
                journey.Step("submit", "button", visit=visit("form", "error-empty")),
                journey.Step("fill", answers={"age": "-1"}),
                journey.Step("submit", "button", visit=visit("form", "error-invalid")),
                journey.Step("fill", answers={"age": "30"}),
                journey.Step("submit", "button", visit=visit(last, "shown")),
            ),
        )

    first, second = coverage.covering(portal.app, [errors_then("done"), errors_then("other")])
    # an invalid answer shows the error markup an empty one did: it is audited once
    assert [(step.action, step.answers) for step in first.steps] == [
        ("open", {}),
        ("submit", {}),
        ("fill", {"age": "30"}),
        ("submit", {}),
    ]
    # the error states were audited by the first journey: the second types the valid answer only
    assert [(step.action, step.answers) for step in second.steps] == [
        ("open", {}),
        ("fill", {"age": "30"}),
        ("submit", {}),
    ]
    assert second.steps[-1].visit == visit("other", "shown")


def test_portal_audit_walks_every_state_of_the_procedures_own_pages_and_nothing_else(
    portal: Subject,
) -> None:
    deep = {
        visit.id: visit for each in crawl.plan(portal.app, in_depth=True) for visit in each.visits()
    }
    portals_own = {
        visit.id
        for locale in crawl.locales(portal.app)
        for each in (
            crawl.site_journey(portal.app, locale, crawl.now_of(portal.app)),
            crawl.status_journey(portal.app, locale),
            *crawl.save_and_return_journeys(portal.app, locale, crawl.now_of(portal.app)),
            *crawl.staff_directory_journeys(portal.app, locale),
            crawl.back_office_journey(portal.app, locale),
        )
        for visit in each.visits()
    }
    everything = {
        visit.id for locale in crawl.locales(portal.app) for visit in in_depth(portal, locale)
    }
    assert set(deep) == everything - portals_own
    assert not [v for v in deep.values() if v.path.startswith(("/staff", "/status"))]


def test_every_locale_audits_saving_for_later_and_every_state_of_the_emailed_link(
    portal: Subject,
) -> None:
    planned = {visit.id for visit in portal.visits()}
    for locale in crawl.locales(portal.app):
        journeys = crawl.save_and_return_journeys(portal.app, locale, crawl.now_of(portal.app))
        assert journeys, "an open procedure without a sign-in is there to save"
        procedure = journeys[0].visits()[0].procedure
        wanted = {
            f"{locale}/{procedure}/save-for-later/empty",
            f"{locale}/{procedure}/save-for-later/error-empty",
            f"{locale}/{procedure}/sent/sent",
            f"{locale}/{procedure}/sent/revoked",
            *(
                f"{locale}/resume/{state}"
                for state in ("shown", "replaced", "revoked", "used", "expired")
            ),
        }
        assert wanted <= planned, sorted(wanted - planned)
