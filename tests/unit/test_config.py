"""Settings: read once in portal/config.py, typed, refused with the variable's name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from portal.config import (
    MYNUMBER_SETTINGS,
    ROOT,
    STAFF_OIDC_SETTINGS,
    VARIABLES,
    Settings,
    SettingsError,
)

#: read by the test suite, not the portal; the README documents them with the tests
TEST_ONLY = {
    "PORTAL_TEST_POSTGRES_URL",
    "PORTAL_REQUIRE_POSTGRES",
    "PORTAL_TEST_REDIS_URL",
    "PORTAL_REQUIRE_REDIS",
}


def test_defaults_make_a_usable_development_configuration():
    settings = Settings.from_environ({"PORTAL_ENV": "development"})
    assert settings.secret_key and settings.draft_retention_days == 30
    assert settings.procedures_dir == ROOT / "procedures"
    assert settings.secure_cookies is False
    assert Settings.from_environ({}).secure_cookies is True  # production


def test_relative_paths_are_the_projects_not_the_current_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_environ({"PORTAL_PROCEDURES_DIR": "procedures"})
    assert settings.procedures_dir == ROOT / "procedures"


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("PORTAL_DRAFT_RETENTION_DAYS", "abc", "must be a whole number"),
        ("PORTAL_DRAFT_RETENTION_DAYS", "0", "must be 1 or more"),
        ("PORTAL_PROXY_HOPS", "-1", "must be 0 or more"),
        ("PORTAL_SECURE_COOKIES", "maybe", "must be 1 or 0"),
        ("PORTAL_LOCALES", "ja,fr", "has unknown languages ['fr']"),
        ("PORTAL_LOCALES", "en", "must include ja"),
        ("PORTAL_ENV", "prod", "must be one of production, development, test"),
        ("PORTAL_SMTP_TIMEOUT", "soon", "must be a number of seconds"),
        ("PORTAL_RATE_LIMIT_FORMS", "lots", "must be limits such as"),
        ("PORTAL_RATE_LIMIT_LOOKUPS", "10 per fortnight", "must be limits such as"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(variable, value, says):
    with pytest.raises(SettingsError) as refused:
        Settings.from_environ({variable: value})
    assert str(refused.value).startswith(f"{variable}={value!r}: {says}")


@pytest.mark.parametrize(
    "value",
    ["10 per minute;60 per hour", "10/minute", "5 per 2 hours", "1 per day, 2 per month", "", "x"],
)
def test_rate_limits_are_read_as_flask_limiter_reads_them(value):
    from limits import parse_many

    try:
        limits = Settings.from_environ({"PORTAL_RATE_LIMIT_FORMS": value}).rate_limits["forms"]
    except SettingsError:
        with pytest.raises(ValueError):
            parse_many(value)
    else:
        assert limits == "" or parse_many(limits)


def test_every_bad_value_is_named_at_once():
    with pytest.raises(SettingsError) as refused:
        Settings.from_environ({"PORTAL_PROXY_HOPS": "x", "PORTAL_SMTP_PORT": "y"})
    assert str(refused.value).count("\n") == 1


def test_the_command_line_refuses_to_start_with_a_bad_value(monkeypatch):
    from click.testing import CliRunner

    from portal.cli import main

    monkeypatch.setenv("PORTAL_DRAFT_RETENTION_DAYS", "abc")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code != 0
    assert "PORTAL_DRAFT_RETENTION_DAYS='abc': must be a whole number" in result.output


def _documented(path: Path) -> set[str]:
    names: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `PORTAL_"):
            names |= set(re.findall(r"`(PORTAL_[A-Z_]+\*?)`", line.split(" | ")[0]))
    return names


def test_the_readme_table_documents_exactly_the_settings():
    documented = _documented(ROOT / "README.md")
    known = {v.name for v in VARIABLES if v.name.startswith("PORTAL_")}
    known |= {"PORTAL_MYNUMBER_*", "PORTAL_STAFF_OIDC_*"}
    staff_oidc = {f"PORTAL_STAFF_OIDC_{name}" for name in STAFF_OIDC_SETTINGS}
    # the staff directory's own table lists its variables one by one
    assert documented - known - TEST_ONLY - staff_oidc == set()
    assert known - documented == set()
    identity = _documented(ROOT / "portal" / "identity" / "README.md")
    mynumber = {f"PORTAL_MYNUMBER_{name}" for name in MYNUMBER_SETTINGS}
    assert identity - mynumber - {v.name for v in VARIABLES} == set()
    # every My Number setting has a row there; the endpoints after the first share one (`…_`)
    shortened = {f"PORTAL_MYNUMBER_{name}" for name in _SHORTENED_ENDPOINTS}
    assert mynumber - identity - shortened == set()


#: the endpoints the identity README's table names as `…_TOKEN_ENDPOINT`, … in one row
_SHORTENED_ENDPOINTS = ("TOKEN_ENDPOINT", "JWKS_URI", "USERINFO_ENDPOINT", "END_SESSION_ENDPOINT")


def _read_names(tree: ast.AST) -> list[tuple[int, str]]:
    """Return (line, name) of each environment variable read by name: environ.get, getenv, []."""
    found = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            is_get = node.func.attr == "get" and _is_environ(node.func.value)
            if (is_get or node.func.attr == "getenv") and isinstance(node.args[0], ast.Constant):
                name = node.args[0].value
        elif (
            isinstance(node, ast.Subscript)
            and _is_environ(node.value)
            and isinstance(node.slice, ast.Constant)
        ):
            name = node.slice.value
        if isinstance(name, str):
            found.append((node.lineno, name))
    return found


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def test_the_environment_reader_finds_reads():
    tree = ast.parse("import os\nos.environ.get('PORTAL_X')\nos.getenv('Y')\nos.environ['Z']\n")
    assert [name for _, name in _read_names(tree)] == ["PORTAL_X", "Y", "Z"]


def test_no_module_but_config_reads_a_setting_from_the_environment():
    readers = []
    for path in (ROOT / "portal").rglob("*.py"):
        if path == ROOT / "portal" / "config.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        readers += [f"{path.relative_to(ROOT)}:{line}: {name}" for line, name in _read_names(tree)]
    # handing the audit's own PYTHONPATH on to the pytest it starts is not a setting
    assert [r for r in readers if not r.endswith(": PYTHONPATH")] == []
