"""`portal check PATH...`: file:line:col: message per mistake and exit 1, or one summary line.

The expectations come from the corpus in tests/unit/broken_procedures/ (see test_loader.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from portal.cli import main
from portal.procedure.loader import Problem
from tests.unit.test_loader import CASES, CORPUS, MINIMAL, minimal, unmatched

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
SUMMARY = re.compile(r"^(\d+) problem\(s\) in (\d+) of (\d+) file\(s\)$")


def check(*args: str | Path, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["check", *map(str, args)], env=env)


def printed_problems(stdout: str, warnings: bool = False) -> list[Problem]:
    """Read what `portal check` printed; every line must be file:line:col: message.

    Warnings (the guide's advice) are left out unless `warnings`.
    """
    problems = []
    for line in stdout.splitlines():
        found = LINE.match(line)
        assert found, f"not a file:line:col: message line: {line!r}"
        if found["message"].startswith("warning: ") and not warnings:
            continue
        at = int(found["line"]), int(found["col"])
        problems.append(Problem(found["file"], *at, found["message"]))
    return problems


def test_check_prints_every_problem_of_the_corpus_as_file_line_col_and_exits_1(tmp_path):
    # files marked `# crashes:` (a loader bug, xfail in test_loader) are left out here
    cases = [case for case in CASES if not case.crashes]
    for case in cases:
        shutil.copy(case.path, tmp_path / case.path.name)
    result = check(tmp_path)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    problems = printed_problems(result.stdout)
    reported = {Path(p.file).name for p in problems}
    assert reported <= {case.path.name for case in cases}
    assert {case.path.name for case in cases if not case.xfail} <= reported
    for case in cases:
        if case.xfail:
            continue  # what the loader says there is pinned (as xfail) in test_loader.py
        mine = [p for p in problems if p.file == str(tmp_path / case.path.name)]
        assert unmatched(mine, case.expects) == ([], []), case.name
    summary = f"{len(problems)} problem(s) in {len(reported)} of {len(cases)} file(s)"
    assert result.stderr.splitlines() == [summary]


def test_check_on_the_whole_corpus_directory_reports_every_file():
    result = check(CORPUS)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    problems = printed_problems(result.stdout)
    assert {Path(p.file).name for p in problems} == {case.path.name for case in CASES}


def test_check_reports_only_the_broken_file_of_several(tmp_path):
    good, broken = tmp_path / "good.yaml", tmp_path / "broken.yaml"
    good.write_text(MINIMAL, encoding="utf-8")
    broken.write_text(minimal(("      field: has_child", "      field: has_kid")), encoding="utf-8")
    result = check(good, broken)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{broken}:28:14: the rule refers to 'has_kid', which is no question of this procedure; "
        "did you mean 'has_child'?"
    ]
    assert result.stderr.splitlines() == ["1 problem(s) in 1 of 2 file(s)"]


def test_check_passes_on_the_sample_procedures_with_a_one_line_summary():
    samples = sorted((ROOT / "procedures").glob("*.yaml"))
    assert samples, "no sample procedures"
    result = check(ROOT / "procedures")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"ok: {len(samples)} procedure(s) in {len(samples)} file(s), no problems"
    ]


def test_check_without_paths_checks_the_procedures_directory(tmp_path):
    advised = minimal(
        ("        label: ご意見\n", "        label: ご意見\n        max_length: 2000\n")
    )
    (tmp_path / "minimal-procedure.yaml").write_text(advised, encoding="utf-8")
    result = check(env={"PORTAL_PROCEDURES_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert result.output == "ok: 1 procedure(s) in 1 file(s), no problems\n"
    (tmp_path / "minimal-procedure.yaml").write_text(
        minimal(("summary:", "sumary:")), encoding="utf-8"
    )
    result = check(env={"PORTAL_PROCEDURES_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert [(p.line, p.column, p.message) for p in printed_problems(result.stdout)] == [
        (4, 1, "unknown key 'sumary'; did you mean 'summary'?")
    ]


def test_check_refuses_a_path_that_does_not_exist(tmp_path):
    result = check(tmp_path / "missing.yaml")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_the_portal_console_script_runs_check():
    script = Path(sys.executable).parent / "portal"
    assert script.exists(), f"{script}: the console script is not installed"
    case = next(case for case in CASES if case.name == "unknown_key_typo")
    (expected,) = case.expects
    done = subprocess.run(
        [str(script), "check", str(case.path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == (
        f"{case.path}:{expected.line}:{expected.column}: unknown key 'hnit'; did you mean 'hint'?\n"
    )
    assert SUMMARY.match(done.stderr.strip())


LENIENT = minimal(
    ("label: お子さんはいますか", "label: '{お子|こ}さんはいますか'"),
    ("        label: テーマ\n", "        label: {ja: テーマ, en: テーマ}\n"),
    (
        "        type: email\n        label: メールアドレス\n",
        "        type: email\n        label: メールアドレス\n"
        "      - id: name_kana\n        type: kana\n        label: フリガナ\n"
        "        autocomplete: name\n"
        "      - id: note\n        type: text\n        label: '{備考|びこう'\n",
    ),
)
#: (line, column, words) of each warning LENIENT earns, in file order
WARNINGS = [
    (1, 5, "the file is called 'lenient.yaml' but the id is 'minimal-procedure'"),
    (19, 23, "a browser fills `autocomplete: name`"),
    (22, 16, "furigana is written {漢字|かんじ}: a brace or bar is unbalanced"),
    (28, 30, "the en text has Japanese in it"),
    (39, 15, "a textarea without `max_length`"),
]


def test_check_warns_of_what_the_guide_advises_against_and_strict_fails_on_it(tmp_path):
    path = tmp_path / "lenient.yaml"
    path.write_text(LENIENT, encoding="utf-8")
    lenient = check(path)
    assert lenient.exit_code == 0, lenient.output
    assert lenient.output.endswith(f", {len(WARNINGS)} warning(s)\n")
    printed = printed_problems(lenient.stdout.rsplit("\n", 2)[0], warnings=True)
    assert [(p.line, p.column) for p in printed] == [(line, col) for line, col, _ in WARNINGS]
    for problem, (_, _, words) in zip(printed, WARNINGS, strict=True):
        assert problem.message.startswith("warning: ") and words in problem.message
    strict = check("--strict", path)
    assert strict.exit_code == 1
    assert f"{len(WARNINGS)} warning(s); --strict fails on them" in strict.output


def test_the_samples_pass_the_strict_check():
    result = check("--strict", ROOT / "procedures")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
