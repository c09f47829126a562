"""YAML with a budget: aliases that expand beyond what a procedure needs are refused, fast,
by `portal check`, at start-up and in the staff preview; ordinary aliases still work."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from portal.cli import main
from portal.procedure.folder import load_all
from portal.procedure.loader import (
    MAX_CHARACTERS,
    MAX_EXPANDED_VALUES,
    ProcedureFileError,
    load_text,
)
from tests.staff.conftest import csrf, sign_in
from tests.unit.test_loader import minimal

TOO_LARGE = (
    f"with its aliases (*name) written out, this value holds more than {MAX_EXPANDED_VALUES:,} "
    "values, far more than a procedure needs; write out only what you mean to repeat"
)


def billion_laughs(levels: int = 9) -> str:
    """Return the classic alias bomb: each level repeats the one before ten times."""
    lines = ["id: lol", 'lol0: &lol0 "lol"']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    return "\n".join(lines) + "\n"


# 10**5 values first exceed the budget at lol5, on line 7, where its list starts.
REFUSAL = f"bomb.yaml:7:7: {TOO_LARGE}"


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


@pytest.mark.parametrize("levels", [5, 9, 40])
def test_an_alias_bomb_is_refused_where_it_outgrows_the_budget(levels):
    with pytest.raises(ProcedureFileError) as raised:
        load_text(billion_laughs(levels), "bomb.yaml")
    assert [str(p) for p in raised.value.problems] == [REFUSAL]


def test_aliases_within_the_budget_are_read_as_their_anchors():
    with pytest.raises(ProcedureFileError) as raised:
        load_text(billion_laughs(4), "bomb.yaml")  # 11,111 values: only the usual problems
    assert not any("aliases" in p.message for p in raised.value.problems)


def test_a_mistake_inside_a_repeated_anchor_is_reported_once_where_it_is_written():
    text = minimal(
        ("        options:\n", "        options: &topics\n"),
        ("{value: roads, label: 道路}", "{value: roads, label: 道路, colour: red}"),
        (
            "    fields:\n      - id: opinion\n",
            "    fields:\n      - id: again\n        type: select\n        label: もう一度\n"
            "        options: *topics\n      - id: opinion\n",
        ),
    )
    with pytest.raises(ProcedureFileError) as raised:
        load_text(text, "alias.yaml")
    written = text.splitlines().index(next(x for x in text.splitlines() if "colour" in x)) + 1
    assert {p.line for p in raised.value.problems} == {written}, raised.value.problems


def test_a_file_longer_than_any_procedure_is_refused_before_parsing():
    with pytest.raises(ProcedureFileError) as raised:
        load_text("#" * (MAX_CHARACTERS + 1), "long.yaml")
    assert str(raised.value.problems[0]).startswith("long.yaml:1:1: the file is longer than")


def test_portal_check_prints_the_refusal_and_exits_1(tmp_path):
    (tmp_path / "bomb.yaml").write_text(billion_laughs(), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "bomb.yaml")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'bomb.yaml'}:7:7: {TOO_LARGE}" in result.output


def test_start_up_leaves_the_bomb_out_and_serves_the_other_procedures(tmp_path):
    (tmp_path / "bomb.yaml").write_text(billion_laughs(), encoding="utf-8")
    (tmp_path / "minimal.yaml").write_text(minimal(), encoding="utf-8")
    procedures, problems = load_all([tmp_path])
    assert list(procedures) == ["minimal-procedure"]
    assert [p.message for p in problems] == [TOO_LARGE]


def test_the_staff_preview_refuses_a_pasted_bomb_next_to_its_line(client, make_staff):
    make_staff("viewer@city.example", roles={"bulky-waste": "viewer"})
    sign_in(client, "viewer@city.example")
    response = client.post(
        "/staff/preview",
        data={"csrf_token": csrf(client, "/staff/preview"), "source": billion_laughs()},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "far more than a procedure needs" in html
    line = html.split('id="line-7"', 1)[1].split("</li>", 1)[0]
    assert "write out only what you mean to repeat" in line
