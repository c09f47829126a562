"""`portal audit` of one procedure, in depth, timed: the clerk's step after `portal check`.

By default it audits a five-page procedure: the citizen lecture sample without its
smartphone page (session, applicant, support, support details, consent), in each of the 11
languages it has text for. Prints the wall time of the whole command, the page states
audited and each walk's seconds, as the audit reports them.
Run: .venv/bin/python benchmarks/portal_audit.py [FILE ...]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "procedures" / "citizen-lecture.yaml"
DROPPED_PAGE = "smartphone"
PAGE = re.compile(r"^  - id: (\S+)$", re.MULTILINE)
SUMMARY = re.compile(r"accessibility audit: .*")


def five_pages(folder: Path) -> Path:
    """Write the citizen lecture without one page (five pages left) into `folder`."""
    text = SAMPLE.read_text(encoding="utf-8")
    pages = text.index("\npages:\n")
    starts = [m for m in PAGE.finditer(text) if m.start() > pages]
    at = next(i for i, m in enumerate(starts) if m.group(1) == DROPPED_PAGE)
    end = starts[at + 1].start() if at + 1 < len(starts) else len(text)
    trimmed = text[: starts[at].start()] + text[end:]
    trimmed = trimmed.replace("id: citizen-lecture\n", "id: citizen-lecture-five\n", 1)
    target = folder / "citizen-lecture-five.yaml"
    target.write_text(trimmed, encoding="utf-8")
    return target


def audit(files: list[Path]) -> None:
    started = time.monotonic()
    run = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "portal"), "audit", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    summary = SUMMARY.search(run.stdout)
    names = ", ".join(file.name for file in files)
    print(f"portal audit {names}: {seconds:.1f} s wall, exit {run.returncode}")
    print(f"  {summary.group() if summary else run.stdout[-500:]}")


def main(arguments: list[str]) -> None:
    if arguments:
        audit([Path(argument).resolve() for argument in arguments])
        return
    with tempfile.TemporaryDirectory(prefix="audit-benchmark-") as folder:
        audit([five_pages(Path(folder))])


if __name__ == "__main__":
    main(sys.argv[1:])
