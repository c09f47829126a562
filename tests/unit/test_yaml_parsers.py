"""LibYAML's parser and the pure-Python one read every procedure file the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal.procedure import loader
from portal.procedure.loader import ProcedureFileError

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "procedures").glob("*.yaml")) + sorted(
    (Path(__file__).parent / "broken_procedures").glob("*.yaml")
)
TEXTS = {
    "yes_stays_text": "a: yes\nb: 010\nc: 1:30\nd: =\ne: true\nf: 1.5e3\n",
    "tab": "a:\n\tb: 1\n",
    "two_documents": "a: 1\n---\nb: 2\n",
    "unclosed_quote": 'a: "open\nb: 2\n',
    "deep_flow": "a: " + "[" * 1200 + "]" * 1200 + "\n",
    "control_character": "a: \x07\n",
}


def _outcome(text: str, name: str):
    try:
        procedure, positions = loader._load(text, name)
    except ProcedureFileError as error:
        return "refused", error.problems
    except Exception as error:  # the same crash either way counts as the same outcome
        return "crashed", type(error).__name__
    return "loaded", (procedure, positions.values, positions.keys)


@pytest.fixture
def python_only(monkeypatch):
    def outcome(text: str, name: str):
        with monkeypatch.context() as patch:
            patch.setattr(loader, "_LOADERS", (loader._StrictLoader,))
            return _outcome(text, name)

    return outcome


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML without LibYAML")
def test_libyaml_is_used_when_present():
    assert loader._LOADERS[0] is not loader._StrictLoader
    assert (
        loader._LOADERS[0].yaml_implicit_resolvers is loader._StrictLoader.yaml_implicit_resolvers
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_reads_the_same_with_either_parser(path, python_only):
    text = path.read_text(encoding="utf-8")
    assert _outcome(text, path.name) == python_only(text, path.name)


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_yaml_reads_the_same_with_either_parser(text, python_only):
    assert _outcome(text, "t.yaml") == python_only(text, "t.yaml")
