"""`portal audit PATH…`: the accessibility audit of just these procedures, in depth.

Every page, state and language the procedures have text for, with the checks of
accessibility_tests/ (axe, keyboard, reflow, error identification, language, markup), and
their own JIS X 8341-3 report. The audit needs the repository's accessibility_tests/ and its
engines (`npm ci --prefix accessibility_tests --ignore-scripts`), as `make test` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from portal.config import ROOT

AUDIT_DIR = ROOT / "accessibility_tests"
#: the audit's own modules; the self-checks and the regression tests of the plan are not
#: about the procedures under audit
MODULES = ("test_axe.py", "test_page_structure.py", "test_journeys.py", "test_keyboard.py")
NOT_ABOUT_THE_PROCEDURES = (
    "test_keyboard.py::test_a_procedure_can_be_completed_with_the_keyboard_when_one_language"
    "_is_audited_fully",
)


def audited_locales(procedures) -> list[str]:
    """Return Japanese and every other language the procedures have text in."""
    from portal.locales import LANGUAGES
    from portal.procedure.text import translated_share

    texts = [text for procedure in procedures for text in procedure.texts()]
    return [
        language.code
        for language in LANGUAGES
        if language.code == "ja" or translated_share(texts, language.code) > 0
    ]


def pytest_command(report: Path) -> list[str]:
    """Return the pytest command line of the audit."""
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    command += [str(AUDIT_DIR / module) for module in MODULES]
    for node in NOT_ABOUT_THE_PROCEDURES:
        # pytest matches the node ids it collects, which are relative to the project's folder
        command += ["--deselect", f"{AUDIT_DIR.relative_to(ROOT).as_posix()}/{node}"]
    return command


def audit_environment(folder: Path, locales: Sequence[str], report: Path) -> dict[str, str]:
    """Return the environment the audited portal is configured by."""
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {
        **os.environ,
        "PYTHONPATH": python_path,
        "PORTAL_PROCEDURES_DIR": str(folder),
        "PORTAL_LOCALES": ",".join(locales),
        "PORTAL_AUDIT_IN_DEPTH": "1",
        "PORTAL_AUDIT_REPORT_DIR": str(report),
    }


def run_audit(paths: Sequence[Path], report: Path, echo=print) -> int:
    """Audit the procedures in `paths`; return the exit status (0: no barrier found)."""
    from portal.procedure.folder import load_all, procedure_files

    procedures, problems = load_all(list(paths))
    for problem in problems:
        echo(str(problem))
    if problems or not procedures:
        echo("fix what `portal check` reports first" if problems else "no procedure to audit")
        return 1
    locales = audited_locales(procedures.values())
    echo(f"auditing {', '.join(sorted(procedures))} in {', '.join(locales)}; report: {report}")
    with tempfile.TemporaryDirectory(prefix="portal-audit-") as folder:
        for file in procedure_files(list(paths)):
            (Path(folder) / file.name).symlink_to(file.resolve())
        return subprocess.run(
            pytest_command(report),
            cwd=ROOT,
            env=audit_environment(Path(folder), locales, report),
            check=False,
        ).returncode
