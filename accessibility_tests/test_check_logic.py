"""The checks that judge across pages, on made-up page facts (no browser needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accessibility_tests import check_answers, language, navigation, titles
from accessibility_tests.findings import Where
from accessibility_tests.snapshot import Facts
from portal.procedure.loader import load_file

EVERY_SETTING = (
    Path(__file__).resolve().parents[1] / "tests/fixtures/every_setting/every-setting.yaml"
)


def where(page: str, state: str = "empty") -> Where:
    """Return a made-up place."""
    return Where(page=page, state=state, locale="en", url=f"http://127.0.0.1/{page}")


def facts(**given: Any) -> Facts:
    """Return page facts with everything empty but `given`."""
    empty: dict[str, Any] = {
        "title": "",
        "lang": "en",
        "first": None,
        "main": None,
        "navigation": [],
        "summary": None,
        "controls": [],
        "textRuns": [],
        "images": [],
        "media": [],
        "audio": [],
        "animations": [],
        "blinking": [],
        "links": [],
        "refresh": None,
        "extend": [],
    }
    return Facts(**{**empty, **given})


def test_two_steps_with_one_title_are_caught() -> None:
    seen = [(where("a"), "a", "Your details - Portal"), (where("b"), "b", "Your details - Portal")]
    assert [f.rule for f in titles.check(seen)] == ["title-unique"]


def test_an_error_state_must_change_the_title() -> None:
    seen = [
        (where("a"), "a", "Your details"),
        (where("a", "error-empty"), "a", "Your details"),
        (where("b"), "b", "Contact"),
        (where("b", "error-empty"), "b", "Error: Contact"),
    ]
    assert [(f.rule, f.where.page) for f in titles.check(seen)] == [("title-changes-on-error", "a")]


def test_navigation_in_another_order_is_caught() -> None:
    usual = [{"region": "nav", "text": "日本語"}, {"region": "footer", "text": "Status"}]
    pages = [(where(name), facts(navigation=usual)) for name in "abc"]
    pages.append((where("d"), facts(navigation=list(reversed(usual)))))
    assert [(f.rule, f.where.page) for f in navigation.consistent(pages)] == [
        ("consistent-navigation", "d")
    ]


def test_extra_navigation_on_one_page_is_allowed() -> None:
    usual = [{"region": "nav", "text": "日本語"}]
    pages = [
        (where("a"), facts(navigation=usual)),
        (where("b"), facts(navigation=[*usual, {"region": "nav", "text": "Sign out"}])),
        (where("c"), facts(navigation=usual)),
    ]
    assert navigation.consistent(pages) == []


def test_a_check_page_without_a_change_link_is_caught() -> None:
    page = facts(links=[{"href": "/procedures/p/about-you?change=1#name", "text": "Change"}])
    found = check_answers.check(page, where("p/check"), "p", ["about-you", "opinion"])
    assert [f.problem for f in found] == [
        "the check-answers page has no link back to the question page 'opinion'"
    ]


def test_only_a_page_the_card_answers_whole_needs_no_change_link() -> None:
    procedure = load_file(EVERY_SETTING)
    by_card = [page.id for page in procedure.pages if check_answers.answered_by_card(page)]
    assert by_card == ["from-the-card"]


def test_what_the_resident_typed_is_not_held_to_the_page_language() -> None:
    runs = [
        {"text": "横浜 花子", "lang": "en", "element": "dd"},
        {"text": "ご意見", "lang": "en", "element": "dt"},
    ]
    found = language.parts_language(facts(textRuns=runs), where("p/check"), ("横浜 花子",), {})
    assert [f.element for f in found] == ["dt"]


def test_japanese_in_a_drop_down_option_is_told_to_become_radios() -> None:
    runs = [
        {"text": "Tsurumi Ward Office (鶴見区役所)", "lang": "en", "element": 'option "Tsurumi"'}
    ]
    found = language.parts_language(facts(textRuns=runs), where("p/office"), (), {})
    assert len(found) == 1 and "radio buttons (`type: radio`)" in found[0].fix


def test_chinese_text_in_a_japanese_page_needs_no_lang_but_hangul_does() -> None:
    runs = [
        {"text": "申請", "lang": "ja", "element": "h1"},
        {"text": "신청", "lang": "ja", "element": "p"},
    ]
    found = language.parts_language(facts(textRuns=runs), where("p"), (), {})
    assert [(f.element, f.fix) for f in found] == [
        ("p", 'mark the element holding it with lang="ko"')
    ]
