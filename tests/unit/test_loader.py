"""The procedure loader: what it accepts, and what it tells staff about each mistake.

The corpus of broken procedures
-------------------------------
`tests/unit/broken_procedures/*.yaml`: each file is MINIMAL (below) with ONE kind of mistake, and
is named after it. Its leading comment block (the `#` lines before the first other line) says
what the loader must report:

    # <the mistake, in words>
    # expect: LINE:COL: MESSAGE        a problem at LINE:COL whose message is exactly MESSAGE
    # expect-prefix: LINE:COL: START   a problem at LINE:COL whose message starts with START;
                                       used where a message ends in a list that grows (known
                                       field types, allowed keys) or where a loader bug is pinned
                                       without prescribing its exact wording; an empty START
                                       accepts any message at LINE:COL
    # xfail: REASON                    a loader bug: the expect lines say what the loader SHOULD
                                       report; the case is xfail(strict=True) until it is fixed
    # crashes: EXCEPTION               (with xfail) the loader raises EXCEPTION instead of
                                       ProcedureFileError; `portal check` tests leave these out

LINE and COL are 1-based and count the comment lines. The problems reported must match the expect
lines one to one: none missing, none extra, all for that file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal.procedure import loader
from portal.procedure.conditions import holds
from portal.procedure.folder import load_all
from portal.procedure.loader import Problem, ProcedureFileError, load_file, load_text

CORPUS = Path(__file__).parent / "broken_procedures"

#: the valid procedure every corpus file is derived from
MINIMAL = """\
id: minimal-procedure
category: 市政
title: 最小の手続
summary: テスト用の最小の手続です。
contact:
  department: 政策課
notify:
  email_field: email
pages:
  - id: about-you
    title: あなたについて
    fields:
      - id: email
        type: email
        label: メールアドレス
      - id: has_child
        type: yes_no
        label: お子さんはいますか
      - id: topic
        type: radio
        label: テーマ
        options:
          - {value: parks, label: 公園}
          - {value: roads, label: 道路}
  - id: details
    title: 詳細
    show_if:
      field: has_child
      equals: yes
    fields:
      - id: opinion
        type: textarea
        label: ご意見
"""


def minimal(*replacements: tuple[str, str]) -> str:
    """Return MINIMAL with each (old, new) replaced once; `old` must be there."""
    text = MINIMAL
    for old, new in replacements:
        assert old in text, f"{old!r} is not in MINIMAL"
        text = text.replace(old, new, 1)
    return text


# --- reading the corpus -----------------------------------------------------------------------

_EXPECT = re.compile(r"^# (expect|expect-prefix): (\d+):(\d+):(?: (.*))?$")


@dataclass(frozen=True)
class Expected:
    line: int
    column: int
    text: str
    prefix: bool

    def matches(self, line: int, column: int, message: str) -> bool:
        if (line, column) != (self.line, self.column):
            return False
        return message.startswith(self.text) if self.prefix else message == self.text

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.text}{' …' if self.prefix else ''}"


@dataclass(frozen=True)
class Case:
    path: Path
    what: str
    expects: tuple[Expected, ...]
    xfail: str | None
    crashes: str | None

    @property
    def name(self) -> str:
        return self.path.stem


def read_case(path: Path) -> Case:
    """Read the leading comment block of one corpus file."""
    header: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line.rstrip())
    assert header, f"{path.name}: no leading comment"
    expects, xfail, crashes = [], None, None
    for line in header[1:]:
        if found := _EXPECT.match(line):
            kind, row, col, text = found.groups()
            expects.append(Expected(int(row), int(col), text or "", kind == "expect-prefix"))
        elif line.startswith("# xfail: "):
            xfail = line.removeprefix("# xfail: ")
        elif line.startswith("# crashes: "):
            crashes = line.removeprefix("# crashes: ")
        else:
            raise AssertionError(f"{path.name}: cannot read the header line {line!r}")
    assert expects, f"{path.name}: no `# expect:` line"
    assert crashes is None or xfail, f"{path.name}: a file that crashes the loader must be xfail"
    return Case(path, header[0].removeprefix("# "), tuple(expects), xfail, crashes)


CASES = [read_case(path) for path in sorted(CORPUS.glob("*.yaml"))]


def as_param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.name, marks=marks)


def unmatched(
    problems: list[Problem], expects: tuple[Expected, ...]
) -> tuple[list[str], list[str]]:
    """Return (expected but not reported, reported but not expected)."""
    left = [(p.line, p.column, p.message) for p in problems]
    missing = []
    for expected in expects:
        hit = next((found for found in left if expected.matches(*found)), None)
        if hit is None:
            missing.append(str(expected))
        else:
            left.remove(hit)
    return missing, [f"{line}:{col}: {message}" for line, col, message in left]


def assert_reports_exactly(problems: list[Problem], case: Case) -> None:
    assert {p.file for p in problems} == {str(case.path)}
    missing, extra = unmatched(problems, case.expects)
    assert not missing and not extra, (
        f"{case.name} ({case.what})\n"
        f"  expected, not reported: {missing}\n"
        f"  reported, not expected: {extra}"
    )


# --- the corpus -------------------------------------------------------------------------------


def test_the_corpus_has_at_least_35_broken_procedures_each_with_its_own_name():
    assert len(CASES) >= 35
    assert len({case.what for case in CASES}) == len(CASES), "two files, one mistake"
    for case in CASES:
        lines = case.path.read_text(encoding="utf-8").count("\n") + 1
        assert all(1 <= e.line <= lines for e in case.expects), case.name


@pytest.mark.parametrize("case", [as_param(case) for case in CASES])
def test_each_broken_procedure_reports_exactly_its_problems(case: Case):
    with pytest.raises(ProcedureFileError) as raised:
        load_file(case.path)
    assert_reports_exactly(raised.value.problems, case)
    assert str(raised.value) == "\n".join(map(str, raised.value.problems))


def test_the_comparison_fails_on_a_missing_a_wrong_or_an_extra_problem():
    expects = (Expected(3, 5, "unknown key", True), Expected(9, 1, "a b", False))
    case = Case(Path("x.yaml"), "x", expects, None, None)
    right = [Problem("x.yaml", 3, 5, "unknown key 'x'"), Problem("x.yaml", 9, 1, "a b")]
    assert unmatched(right, case.expects) == ([], [])
    assert unmatched(right[:1], case.expects) == (["9:1: a b"], [])
    assert unmatched([*right, Problem("x.yaml", 9, 1, "c")], case.expects) == ([], ["9:1: c"])
    moved = [right[0], Problem("x.yaml", 9, 2, "a b")]
    assert unmatched(moved, case.expects) == (["9:1: a b"], ["9:2: a b"])
    with pytest.raises(AssertionError):
        assert_reports_exactly([Problem("y.yaml", 3, 5, "unknown key"), right[1]], case)


# --- what loads -------------------------------------------------------------------------------


def test_the_minimal_procedure_loads():
    procedure = load_text(MINIMAL, "minimal.yaml")
    assert procedure.id == "minimal-procedure"
    assert procedure.title == {"ja": "最小の手続"}
    assert [page.id for page in procedure.pages] == ["about-you", "details"]
    assert [field.id for field in procedure.fields()] == ["email", "has_child", "topic", "opinion"]
    assert [o.value for o in procedure.field("topic").options] == ["parks", "roads"]
    assert procedure.notify.email_field == "email"
    assert procedure.identity == "none" and procedure.version == 1


def test_a_file_saved_with_a_bom_and_windows_line_ends_loads(tmp_path):
    path = tmp_path / "minimal.yaml"
    path.write_bytes("\ufeff".encode() + MINIMAL.replace("\n", "\r\n").encode())
    assert load_file(path).id == "minimal-procedure"
    typo = minimal(("        label: ご意見", "        hnit: x\n        label: ご意見"))
    path.write_bytes(typo.replace("\n", "\r\n").encode())
    with pytest.raises(ProcedureFileError) as raised:
        load_file(path)
    assert raised.value.problems == [
        Problem(str(path), 33, 9, "unknown key 'hnit'; did you mean 'hint'?")
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("field: has_child\n      equals: yes", {"equals": "yes"}),
        ("field: has_child\n      equals: no", {"equals": "no"}),
        ("field: has_child\n      not_equals: no", {"not_equals": "no"}),
        ("field: has_child\n      in: [yes, no]", {"in_": ["yes", "no"]}),
        (
            "field: email\n      in: [on, off, Yes, NO, y, n]",
            {"in_": ["on", "off", "Yes", "NO", "y", "n"]},
        ),
        ("field: has_child\n      answered: true", {"answered": True}),
        ("field: has_child\n      answered: false", {"answered": False}),
    ],
)
def test_yes_and_no_stay_text_as_in_yaml_1_2(rule, expected):
    text = minimal(("field: has_child\n      equals: yes", rule))
    procedure = load_text(text, "minimal.yaml")
    show_if = procedure.page("details").show_if
    for name, value in expected.items():
        assert getattr(show_if, name) == value
        assert type(getattr(show_if, name)) is type(value)


def test_equals_yes_on_a_yes_no_question_holds_for_the_answer_yes():
    rule = load_text(MINIMAL, "minimal.yaml").page("details").show_if
    assert rule.equals == "yes" and rule.equals is not True
    assert holds(rule, {"has_child": "yes"})
    assert not holds(rule, {"has_child": "no"})
    assert not holds(rule, {})


# --- every mistake at once --------------------------------------------------------------------


def test_several_mistakes_in_one_file_are_all_reported_at_once():
    text = minimal(
        ("contact:", "minutes_needed: 500\ncontact:"),  # line 5
        ("        label: テーマ", "        hnit: x\n        label: テーマ"),  # hnit: line 22
        ("  - id: details", "  - id: Details"),  # line 27
        ("        type: textarea", "        type: textbox"),  # line 34
        ("        label: ご意見", "        label: ご意見\n        label: 意見"),  # line 36
    )
    with pytest.raises(ProcedureFileError) as raised:
        load_text(text, "several.yaml")
    assert [(p.line, p.column, p.message.split(";")[0]) for p in raised.value.problems] == [
        (5, 17, "'minutes_needed' must be 240 or less"),
        (22, 9, "unknown key 'hnit'"),
        (
            27,
            9,
            "'id' 'Details' may only use lowercase letters, digits and hyphens, "
            "starting with a letter",
        ),
        (34, 15, "unknown field type 'textbox'"),
        (36, 9, "key 'label' appears twice here"),
    ]
    assert {p.file for p in raised.value.problems} == {"several.yaml"}


def test_several_cross_reference_mistakes_in_one_file_are_all_reported_at_once():
    lengths = "        min_length: 9\n        max_length: 2\n"
    text = minimal(
        ("  email_field: email", "  email_field: topic"),  # line 8
        ("      - id: topic", "      - id: email"),  # line 19
        ("  - id: details", "  - id: start"),  # line 25
        ("      field: has_child", "      field: has_kid"),  # line 28
        ("        label: ご意見\n", "        label: ご意見\n" + lengths),  # line 34
    )
    with pytest.raises(ProcedureFileError) as raised:
        load_text(text, "several.yaml")
    assert [(p.line, p.column, p.message.split(";")[0]) for p in raised.value.problems] == [
        (8, 16, "'topic' is not an email question of this procedure"),
        (19, 13, "question id 'email' is used twice"),
        (25, 9, "page id 'start' is reserved (cancel, check, complete, sign-in, start, submit)"),
        (28, 14, "the rule refers to 'has_kid', which is no question of this procedure"),
        (34, 21, "`min_length` is larger than `max_length`"),
    ]


def test_a_typo_does_not_hide_a_reference_to_an_unknown_question():
    text = minimal(
        ("        label: ご意見", "        hnit: x\n        label: ご意見"),
        ("      field: has_child", "      field: has_kid"),
    )
    with pytest.raises(ProcedureFileError) as raised:
        load_text(text, "both.yaml")
    assert [(p.line, p.column) for p in raised.value.problems] == [(28, 14), (33, 9)]


def test_rules_on_a_question_with_a_mistake_of_its_own_are_not_checked_against_it():
    # the typo is the one mistake: the rule is neither "unknown" nor "not an answer"
    text = minimal(
        ("        label: テーマ", "        hnit: x\n        label: テーマ"),  # line 21
        ("      field: has_child\n      equals: yes", "      field: topic\n      equals: schools"),
    )
    with pytest.raises(ProcedureFileError) as raised:
        load_text(text, "typo.yaml")
    assert [(p.line, p.message) for p in raised.value.problems] == [
        (21, "unknown key 'hnit'; did you mean 'hint'?")
    ]


def test_a_top_level_mistake_does_not_bring_checks_that_depend_on_it():
    # `identity: myna` is one mistake: it must not also say that prefill needs identity
    text = minimal(
        ("contact:", "identity: myna\ncontact:"),
        ("        label: ご意見", "        label: ご意見\n        prefill: name"),
        ("        type: textarea", "        type: text"),
        ("      field: has_child", "      field: has_kid"),
    )
    with pytest.raises(ProcedureFileError) as raised:
        load_text(text, "identity.yaml")
    assert [(p.line, p.message.split(";")[0]) for p in raised.value.problems] == [
        (5, "'identity' must be one of 'none' or 'mynumber'"),
        (29, "the rule refers to 'has_kid', which is no question of this procedure"),
    ]


# --- files, encodings, load_all ---------------------------------------------------------------


def test_a_file_that_is_not_utf8_gives_one_clear_problem(tmp_path):
    path = tmp_path / "shift-jis.yaml"
    path.write_bytes(MINIMAL.encode("shift_jis"))
    with pytest.raises(ProcedureFileError) as raised:
        load_file(path)
    assert raised.value.problems == [
        Problem(
            str(path), 1, 1, "the file is not UTF-8 text (invalid start byte); save it as UTF-8"
        )
    ]


def test_load_all_keeps_serving_the_valid_files_when_one_is_broken(tmp_path):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    broken = minimal(("      field: has_child", "      field: has_kid"))
    other = minimal(("id: minimal-procedure", "id: other-procedure"))
    (tmp_path / "b.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "c.yaml").write_bytes(MINIMAL.encode("shift_jis"))
    (tmp_path / "d.yaml").write_text(other, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a procedure", encoding="utf-8")
    procedures, problems = load_all([tmp_path])
    assert sorted(procedures) == ["minimal-procedure", "other-procedure"]
    assert procedures["other-procedure"].page("details").show_if.field == "has_child"
    assert [(Path(p.file).name, p.line, p.column) for p in problems] == [
        ("b.yaml", 28, 14),
        ("c.yaml", 1, 1),
    ]


def test_load_all_refuses_a_second_procedure_with_the_same_id(tmp_path):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(minimal(("title: 最小の手続", "title: 別の手続")), "utf-8")
    procedures, problems = load_all([tmp_path])
    assert procedures["minimal-procedure"].title == {"ja": "最小の手続"}
    assert [(Path(p.file).name, p.message) for p in problems] == [
        (
            "b.yaml",
            f"id 'minimal-procedure' is already used by {tmp_path / 'a.yaml'}; ids must be unique",
        )
    ]


def test_a_duplicate_procedure_id_is_reported_where_the_id_is(tmp_path):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    header = "# yaml-language-server: $schema=./schema.json\n"
    (tmp_path / "b.yaml").write_text(header + MINIMAL, encoding="utf-8")
    _, problems = load_all([tmp_path])
    assert [(p.line, p.column) for p in problems] == [(2, 5)]


#: corpus files PyYAML's constructor refuses (they used to crash the loader)
UNCONSTRUCTIBLE = ("custom_yaml_tag.yaml", "invalid_date_february_30.yaml", "yaml_merge_key.yaml")


def test_load_all_survives_a_file_the_yaml_constructor_refuses(tmp_path):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    for name in UNCONSTRUCTIBLE:
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    procedures, problems = load_all([tmp_path])
    assert list(procedures) == ["minimal-procedure"]
    assert {Path(p.file).name for p in problems} == set(UNCONSTRUCTIBLE)


def test_load_all_survives_a_loader_failure_and_reports_the_file(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(minimal(("id: minimal-procedure", "id: other")), "utf-8")

    def trip(text, filename):
        if filename.endswith("b.yaml"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, filename)

    real = loader._load
    monkeypatch.setattr(loader, "_load", trip)
    procedures, problems = load_all([tmp_path])
    assert list(procedures) == ["minimal-procedure"]
    assert [(Path(p.file).name, p.line, p.column) for p in problems] == [("b.yaml", 1, 1)]
    assert "RecursionError" in problems[0].message


def test_an_alias_inside_its_own_anchor_is_reported_not_followed_forever():
    text = minimal(("contact:", "you_will_need: &loop\n  - *loop\ncontact:"))
    with pytest.raises(ProcedureFileError) as raised:
        load_text(text, "loop.yaml")
    assert any("alias" in p.message for p in raised.value.problems)


# --- messages that should say how to fix the mistake ------------------------------------------


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("tab_indentation", "space"),
        ("yaml_syntax_error", "quot"),
        ("yaml_unclosed_quote", "quotation mark"),
        ("yaml_unclosed_brace", "`}`"),
        ("multiple_documents", "remove the `---`"),
    ],
)
def test_common_yaml_mistakes_come_with_a_hint(name, hint):
    with pytest.raises(ProcedureFileError) as raised:
        load_file(CORPUS / f"{name}.yaml")
    assert hint in raised.value.problems[0].message


def test_a_yaml_merge_key_does_not_crash_the_loader():
    text = minimal(
        ("      - id: topic\n", "      - &question\n        id: topic\n"),
        (
            "      - id: opinion\n        type: textarea\n",
            "      - <<: *question\n        id: opinion\n",
        ),
    )
    with pytest.raises(ProcedureFileError) as raised:
        load_text(text, "merge.yaml")
    assert any(p.message.startswith("`<<`") for p in raised.value.problems)


def test_a_plain_yaml_alias_is_read_as_its_anchor():
    text = minimal(
        ("        options:\n", "        options: &topics\n"),
        (
            "    fields:\n      - id: opinion\n",
            "    fields:\n      - id: again\n        type: select\n        label: もう一度\n"
            "        options: *topics\n      - id: opinion\n",
        ),
    )
    assert [o.value for o in load_text(text, "alias.yaml").field("again").options] == [
        "parks",
        "roads",
    ]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1", "1"),
        ("010", "010"),  # YAML 1.1 read this as 8
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("1:30", "1:30"),  # YAML 1.1 read this as 90
        ("2026-02-30", "2026-02-30"),
        ("=", "="),
        ("yes", "yes"),
    ],
)
def test_an_option_value_is_read_as_the_text_written(written, read):
    text = minimal(("{value: parks,", f"{{value: {written},"))
    assert load_text(text, "values.yaml").field("topic").options[0].value == read


def test_a_rule_on_an_option_written_as_a_number_holds():
    text = minimal(
        ("{value: parks,", "{value: 1,"),
        ("      field: has_child\n      equals: yes", "      field: topic\n      equals: 1"),
    )
    rule = load_text(text, "numbers.yaml").page("details").show_if
    assert holds(rule, {"topic": "1"}) and not holds(rule, {"topic": "roads"})


@pytest.mark.parametrize(("written", "value"), [("90", 90), ("+90", 90), ("090", 90)])
def test_a_whole_number_setting_reads_decimal(written, value):
    text = minimal(("contact:", f"minutes_needed: {written}\ncontact:"))
    assert load_text(text, "minutes.yaml").minutes_needed == value


@pytest.mark.parametrize(
    "rule",
    [
        "equals: 'true'",
        "equals: false",
        "equals: true",
        "not_equals: true",
        "not_equals: false",
        "in: [true, false]",
        "answered: true",
        "answered: false",
    ],
)
def test_a_rule_on_a_consent_question_the_loader_accepts_can_hold(rule):
    consent = "      - id: agree\n        type: consent\n        label: 同意します\n"
    text = minimal(
        ("      - id: topic\n", consent + "      - id: topic\n"),
        ("      field: has_child\n      equals: yes", f"      field: agree\n      {rule}"),
    )
    try:
        procedure = load_text(text, "consent.yaml")
    except ProcedureFileError as error:
        assert "use `answered: true` or `answered: false`" in str(error)
        return
    show_if = procedure.page("details").show_if
    assert holds(show_if, {"agree": True}) != holds(show_if, {}), "the rule never tells them apart"


def test_a_problem_prints_as_file_line_column_message():
    problem = Problem("procedures/a.yaml", 14, 9, "unknown key 'lable'")
    assert str(problem) == "procedures/a.yaml:14:9: unknown key 'lable'"
