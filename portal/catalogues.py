"""Message catalogues: extract UI strings, update each locale's .po, compile .mo."""

from __future__ import annotations

import sys

from babel.messages.frontend import CommandLineInterface

from portal.config import ROOT
from portal.locales import LANGUAGES

TEMPLATE = ROOT / "translations" / "messages.pot"
DIRECTORY = ROOT / "translations"


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    """Write translations/messages.pot from portal/ and templates/."""
    _pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--project",
        "portal",
        "-o",
        str(TEMPLATE),
        str(ROOT),
    )


def update() -> None:
    """Merge the template into every locale's catalogue (creating missing ones)."""
    for language in LANGUAGES:
        po = DIRECTORY / language.code / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        _pybabel(
            command,
            "-i",
            str(TEMPLATE),
            "-d",
            str(DIRECTORY),
            "-l",
            language.code,
            *(["--no-fuzzy-matching"] if command == "update" else []),
        )


def compile_all() -> None:
    """Compile every catalogue that exists into .mo files."""
    _pybabel("compile", "-d", str(DIRECTORY), "--statistics")


def main(argv: list[str]) -> None:
    steps = {"extract": [extract], "update": [extract, update], "compile": [compile_all]}
    for step in steps[argv[0] if argv else "compile"]:
        step()


if __name__ == "__main__":
    main(sys.argv[1:])
