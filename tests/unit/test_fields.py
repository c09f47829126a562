"""Every field type: what residents type, what is stored, what they are told."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict
from wtforms import Form

from portal.procedure.fields import field_type, type_names
from portal.procedure.model import Question as Field
from portal.procedure.model import parse_field

OPTIONS = [{"value": "a", "label": "エー"}, {"value": "b", "label": "ビー"}]


@pytest.fixture(autouse=True)
def request_context():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


#: settings some types cannot do without, with an example
NEEDED = {"unit": {"ja": "個", "en": "items"}}


def make(kind: str, **settings) -> Field:
    if field_type(kind).takes_options and kind != "yes_no":
        settings.setdefault("options", OPTIONS)
    for key, example in NEEDED.items():
        if key in field_type(kind).model.model_fields:
            settings.setdefault(key, example)
    return parse_field({"id": "q", "type": kind, "label": "質問", **settings})


def submit(field: Field, data: dict) -> tuple[object, list[str]]:
    kind = field_type(field.type)
    form_class = type("F", (Form,), {"q": kind.form_field(field, "質問", "ja")})
    form = form_class(formdata=MultiDict(data))
    form.validate()
    return kind.to_answer(form.q.data), [str(e) for e in form.q.errors]


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("text", "　横浜　花子 ", "横浜 花子"),
        ("text", "ＡＢＣ１２３", "ABC123"),
        ("textarea", "ｶﾀｶﾅ①\r\n次の行  ", "カタカナ①\n次の行"),
        ("email", "Hanako＠Example.jp", "Hanako@Example.jp"),
        ("tel", "０４５６７１２１２１", "045-671-2121"),
        ("tel", "090-1234-5678", "090-1234-5678"),
        ("number", "３", 3),
        ("number", "1,200", 1200),
        ("postal_code", "2310017", "231-0017"),
        ("postal_code", "231-0017", "231-0017"),
        ("postal_code", "２３１－００１７", "231-0017"),
        ("postal_code", "〒231ー0017", "231-0017"),
        ("kana", "やまだ たろう", "ヤマダ　タロウ"),
        ("kana", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ"),
        ("kana", "ヤマダ", "ヤマダ"),
        ("radio", "b", "b"),
        ("select", "a", "a"),
        ("yes_no", "no", "no"),
        ("consent", "y", True),
    ],
)
def test_input_is_normalised_before_it_is_stored(kind, typed, stored):
    assert submit(make(kind), {"q": typed}) == (stored, [])


def test_checkboxes_store_every_ticked_option():
    assert submit(make("checkboxes"), MultiDict([("q", "a"), ("q", "b")])) == (["a", "b"], [])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ({"q-year": "1985", "q-month": "4", "q-day": "1"}, "1985-04-01"),
        ({"q-year": "２０２６", "q-month": "１１", "q-day": "２６"}, "2026-11-26"),
    ],
)
def test_date_is_read_from_three_boxes(typed, stored):
    assert submit(make("date"), typed) == (stored, [])


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("text", "", "質問を入力してください|Enter 質問"),
        ("email", "hanako.example.jp", "name@example.com"),
        ("email", "a@b", "name@example.com"),
        # what a mail header would read as another recipient or as syntax (found by the fuzz)
        ("email", "taro@example.jp<someone@evil.example>", "name@example.com"),
        ("email", "=x()taro@example.jp<x>", "name@example.com"),
        ("email", '"taro"@example.jp', "name@example.com"),
        ("email", "taro@example..jp", "name@example.com"),
        ("tel", "12345", "045-671-2121"),
        ("number", "two", "3"),
        ("postal_code", "231-001", "231-0017"),
        ("kana", "Hanako", "カタカナ|katakana"),
        ("radio", "", "質問"),
        ("radio", "zzz", ""),
        ("select", "", "質問"),
        ("yes_no", "", "質問"),
        ("consent", "", "質問"),
        ("checkboxes", "", "質問"),
    ],
)
def test_required_question_refuses_bad_input_with_a_message(kind, typed, message):
    answer, errors = submit(make(kind, required=True), {"q": typed} if typed else {})
    assert errors, f"{kind} accepted {typed!r}"
    assert re.search(message, errors[0]), errors[0]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"q-year": "2025", "q-month": "2", "q-day": "30"}, "real date"),
        ({"q-year": "2025", "q-month": "", "q-day": "3"}, "month"),
        ({"q-year": "", "q-month": "2", "q-day": "3"}, "year"),
        ({"q-year": "85", "q-month": "2", "q-day": "3"}, "4 digits"),
    ],
)
def test_date_errors_say_which_part_is_wrong(typed, message):
    answer, errors = submit(make("date", required=True), typed)
    assert answer is None and message in errors[0]


def test_length_limits_name_the_question_and_the_limit():
    _, errors = submit(make("text", max_length=3), {"q": "あいうえ"})
    assert "質問" in errors[0] and "3" in errors[0]


def test_number_range_is_enforced():
    _, errors = submit(make("number", min=1, max=3), {"q": "4"})
    assert "1" in errors[0] and "3" in errors[0]


def test_pattern_uses_the_message_staff_wrote():
    field = make("text", pattern=r"[A-Z]\d{3}", pattern_message={"ja": "A123のように入力"})
    assert submit(field, {"q": "x"})[1] == ["A123のように入力"]
    assert submit(field, {"q": "B456"}) == ("B456", [])


def test_optional_question_left_empty_is_not_answered():
    for kind in type_names():
        field = make(kind)
        empty = {"q-year": "", "q-month": "", "q-day": ""} if kind == "date" else {}
        assert submit(field, empty) == (None, []), kind


@pytest.mark.parametrize("kind", type_names())
def test_sample_input_is_accepted_and_invalid_input_refused(kind):
    field = make(kind, required=True)
    kind_ = field_type(kind)
    assert submit(field, kind_.sample_input(field))[1] == []
    bad = kind_.invalid_input(field)
    if bad is not None:
        assert submit(field, bad)[1]


def test_date_is_shown_with_wareki_in_japanese():
    shown = field_type("date").display(make("date"), "2026-11-26", "ja")
    assert shown == "2026年11月26日（令和8年11月26日）"
    assert field_type("date").display(make("date"), "2026-11-26", "en") == "November 26, 2026"


def test_choices_are_shown_by_their_labels():
    assert field_type("checkboxes").display(make("checkboxes"), ["a", "b"], "ja") == "エー、ビー"
    assert field_type("checkboxes").display(make("checkboxes"), ["a", "b"], "en") == "エー and ビー"


def test_a_quantity_is_shown_with_its_unit():
    field = make("quantity", min=1, max=5, required=True)
    assert submit(field, {"q": "３"}) == (3, [])
    assert submit(field, {"q": "9"})[1] == ["Enter a number from 1 to 5 for 質問"]
    assert field_type("quantity").display(field, 3, "ja") == "3個"
    assert field_type("quantity").display(field, 3, "en") == "3 items"
    people = make("quantity", unit={"ja": "人", "ko": "명", "vi": "người", "ne": "जना"})
    shown = {
        loc: field_type("quantity").display(people, 2, loc) for loc in ("ja", "ko", "vi", "ne")
    }
    assert shown == {"ja": "2人", "ko": "2명", "vi": "2 người", "ne": "2 जना"}
    assert field_type("quantity").export_value(field, 3) == 3


@pytest.mark.parametrize(
    ("pattern", "limits"),
    [
        (r"[A-Z]\d{3}", {}),
        (r"\d{3}-\d{4}", {}),
        (r"(?:ABC|XYZ)[0-9]{2,4}", {}),
        (r"[ぁ-ん]+", {"min_length": 5}),
        (r"[^@\s]+@[a-z]+\.jp", {}),
        (r"YKH-[0-9A-Z]{4}-[0-9A-Z]{4}", {"max_length": 13}),
        (r"第\d+号", {}),
        (r"(犬|猫)の登録", {}),
        (r"[a-z]{2,}\d?", {"min_length": 6, "max_length": 8}),
    ],
)
def test_a_pattern_question_is_filled_with_an_answer_it_accepts(pattern, limits):
    field = make("text", pattern=pattern, required=True, **limits)
    sample = field_type("text").sample_input(field)
    assert submit(field, sample)[1] == [], sample
    assert field_type("text").problems(field, ("q",), None) == []


def test_a_pattern_no_answer_can_match_is_reported():
    field = make("text", pattern=r"(?=x)y", required=True)
    (finding,) = field_type("text").problems(field, ("q",), None)
    assert finding.at == ("q", "pattern") and "cannot fill" in finding.message
