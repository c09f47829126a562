"""`portal audit PATH…`: which procedures, languages and checks it runs, without a browser."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal import cli, procedure_audit
from portal.procedure.folder import load_all

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "procedures" / "citizen-lecture.yaml"
BROKEN = ROOT / "tests" / "unit" / "broken_procedures"


@pytest.fixture
def audits(monkeypatch):
    """Record the audits the command would run instead of running them."""
    ran = []

    def run(command, cwd, env, check):
        folder = Path(env["PORTAL_PROCEDURES_DIR"])
        ran.append(
            {"command": command, "env": env, "files": sorted(p.name for p in folder.iterdir())}
        )
        return type("Done", (), {"returncode": 0})()

    monkeypatch.setattr(procedure_audit.subprocess, "run", run)
    return ran


def test_audit_runs_the_checks_on_just_the_given_procedures_in_depth(audits, tmp_path):
    result = CliRunner().invoke(cli.main, ["audit", str(SAMPLE), "--report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    [ran] = audits
    assert ran["files"] == ["citizen-lecture.yaml"]
    assert ran["env"]["PORTAL_AUDIT_IN_DEPTH"] == "1"
    assert ran["env"]["PORTAL_AUDIT_REPORT_DIR"] == str(tmp_path.resolve())
    modules = {Path(part).name for part in ran["command"] if part.endswith(".py")}
    assert {"test_axe.py", "test_page_structure.py", "test_keyboard.py"} <= modules
    assert "test_self_checks.py" not in modules


def test_audit_covers_every_language_the_procedure_has_text_in(audits, tmp_path):
    CliRunner().invoke(cli.main, ["audit", str(SAMPLE), "--report", str(tmp_path)])
    procedures, _ = load_all([SAMPLE])
    procedure = procedures["citizen-lecture"]
    written = {code for text in procedure.texts() for code, value in text.items() if value}
    assert set(audits[0]["env"]["PORTAL_LOCALES"].split(",")) == written | {"ja"}


def test_a_file_that_fails_portal_check_is_not_audited(audits, tmp_path):
    broken = next(BROKEN.glob("*.yaml"))
    result = CliRunner().invoke(cli.main, ["audit", str(broken), "--report", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{broken.name}:" in result.output and "portal check" in result.output
    assert audits == []


def test_the_tests_left_out_are_named_as_pytest_collects_them(tmp_path):
    # pytest deselects by the node ids it collects: relative to the project, whole test names
    command = procedure_audit.pytest_command(tmp_path)
    left_out = [command[i + 1] for i, part in enumerate(command) if part == "--deselect"]
    assert left_out
    for node in left_out:
        path, _, name = node.partition("::")
        assert not Path(path).is_absolute() and (procedure_audit.ROOT / path).is_file()
        tree = ast.parse((procedure_audit.ROOT / path).read_text(encoding="utf-8"))
        assert name in {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
