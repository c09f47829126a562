"""Markup validity with the Nu HTML Checker (vnu-jar on the machine's Java) (4.1.1)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
from pathlib import Path
from typing import TypedDict

from accessibility_tests.findings import Finding, Where
from accessibility_tests.toolchain import VNU_JAR, require, require_java

HINTS = (
    ("Duplicate ID", "give every id on the page a unique value (prefix ids with the field id)"),
    ("Stray end tag", "remove the extra end tag, or close elements in the order they were opened"),
    ("Unclosed element", "close the element in the same template block that opens it"),
    ("not allowed as child", "move the element to a parent that may contain it"),
    ("not allowed on element", "remove the attribute, or use one that is valid on that element"),
    ("must not appear as a descendant", "do not nest interactive elements"),
    (
        "autofill field name",
        "use an autocomplete token allowed on that control (e.g. "
        "address-line1 on <input>; street-address only on <textarea>)",
    ),
)


class Message(TypedDict):
    """One message of the checker."""

    type: str
    message: str
    lastLine: int
    extract: str
    hiliteStart: int
    hiliteLength: int


def validate(documents: dict[str, str]) -> dict[str, list[Message]]:
    """Return the checker's errors for each document (key → HTML source), in one Java run."""
    unique: dict[str, str] = {}
    keys_by_digest: dict[str, list[str]] = {}
    for key, source in documents.items():
        digest = hashlib.sha256(source.encode()).hexdigest()[:16]
        unique[digest] = source
        keys_by_digest.setdefault(digest, []).append(key)
    errors: dict[str, list[Message]] = {key: [] for key in documents}
    if not unique:
        return errors
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        for digest, source in unique.items():
            (Path(folder) / f"{digest}.html").write_text(source, encoding="utf-8")
        ran = subprocess.run(
            [
                require_java(),
                "-jar",
                str(require(VNU_JAR)),
                "--format",
                "json",
                "--errors-only",
                "--exit-zero-always",
                folder,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
    for message in json.loads(ran.stderr)["messages"]:
        digest = Path(message.get("url", "")).stem
        for key in keys_by_digest.get(digest, []):
            errors[key].append(message)
    return errors


def findings(messages: list[Message], where: Where) -> list[Finding]:
    """Return one finding per checker error."""
    return [
        Finding(
            where,
            "4.1.1",
            f"vnu: {message['message']}",
            f"line {message.get('lastLine', '?')}: {_marked(message)}",
            message["message"],
            _hint(message["message"]),
        )
        for message in messages
    ]


def _marked(message: Message) -> str:
    """Return the checker's extract with the offending part between ⟦ and ⟧."""
    extract = message.get("extract", "")
    start = message.get("hiliteStart", 0)
    end = start + message.get("hiliteLength", 0)
    return " ".join(f"{extract[:start]}⟦{extract[start:end]}⟧{extract[end:]}".split())


def _hint(text: str) -> str:
    return next(
        (hint for pattern, hint in HINTS if pattern in text),
        "correct the template so the HTML is valid, as the message says",
    )
