"""Parsed procedures kept by file content: unchanged files are not parsed again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.procedure import cache as cache_module
from portal.procedure import folder as folder_module
from portal.procedure import loader
from portal.procedure.cache import ProcedureCache
from portal.procedure.folder import load_all
from portal.procedure.registry import ProcedureRegistry, preload

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "procedures").glob("*.yaml"))


@pytest.fixture
def folder(tmp_path) -> Path:
    procedures = tmp_path / "procedures"
    procedures.mkdir()
    for sample in SAMPLES:
        (procedures / sample.name).write_bytes(sample.read_bytes())
    return procedures


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """Record the name of each file the loader really parses."""
    names: list[str] = []
    real = loader._load

    def counting(text, filename):
        names.append(Path(filename).name)
        return real(text, filename)

    monkeypatch.setattr(loader, "_load", counting)
    return names


def test_an_unchanged_file_is_read_from_the_cache_as_it_was_parsed(folder, tmp_path, parsed):
    cache = ProcedureCache(tmp_path / "cache")
    first = load_all([folder], cache)
    assert len(parsed) == len(SAMPLES)
    parsed.clear()
    again = load_all([folder], ProcedureCache(tmp_path / "cache"))
    assert parsed == []
    assert again == first
    assert again == load_all([folder])


def test_changing_one_file_parses_that_file_only(folder, tmp_path, parsed):
    cache = ProcedureCache(tmp_path / "cache")
    load_all([folder], cache)
    parsed.clear()
    changed = folder / SAMPLES[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    load_all([folder], cache)
    assert parsed == [SAMPLES[0].name]


def test_a_change_to_the_engine_parses_everything_again(folder, tmp_path, parsed, monkeypatch):
    cache = ProcedureCache(tmp_path / "cache")
    load_all([folder], cache)
    parsed.clear()
    monkeypatch.setattr(cache_module, "engine_fingerprint", lambda: b"another engine")
    load_all([folder], cache)
    assert len(parsed) == len(SAMPLES)


def test_a_damaged_entry_is_parsed_again(folder, tmp_path, parsed):
    cache = ProcedureCache(tmp_path / "cache")
    first = load_all([folder], cache)
    for entry in (tmp_path / "cache").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    parsed.clear()
    assert load_all([folder], cache) == first
    assert len(parsed) == len(SAMPLES)


def test_broken_files_and_repeated_ids_are_reported_every_time(folder, tmp_path):
    (folder / "zz-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (folder / "zz-twin.yaml").write_bytes(SAMPLES[0].read_bytes())
    cache = ProcedureCache(tmp_path / "cache")
    first = load_all([folder], cache)
    again = load_all([folder], cache)
    assert again[1] == first[1] == load_all([folder])[1]
    assert {Path(p.file).name for p in again[1]} == {"zz-broken.yaml", "zz-twin.yaml"}


def test_a_cache_that_cannot_be_written_only_costs_time(folder, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    procedures, problems = load_all([folder], ProcedureCache(blocked / "cache"))
    assert len(procedures) == len(SAMPLES) and not problems


def test_the_app_serves_from_the_cache_folder_it_is_given(make_app, folder, tmp_path):
    app = make_app(PROCEDURES_DIR=str(folder), PROCEDURE_CACHE_DIR=str(tmp_path / "cache"))
    assert app.extensions["portal.procedures"].all()
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == len(SAMPLES)


def test_warnings_read_from_the_cache_are_the_warnings_parsing_gives(folder, tmp_path, parsed):
    misnamed = folder / "renamed.yaml"
    misnamed.write_bytes(SAMPLES[0].read_bytes())
    (folder / SAMPLES[0].name).unlink()
    cache = ProcedureCache(tmp_path / "cache")
    first: list = []
    load_all([folder], cache, warnings=first)
    parsed.clear()
    again: list = []
    load_all([folder], cache, warnings=again)
    assert parsed == []
    assert again == first
    assert any("renamed.yaml" in p.message for p in again)  # the file name's advice, not cached


def test_many_files_parsed_in_parallel_load_as_they_do_one_by_one(tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    count = folder_module.PARALLEL_FROM * 2
    for number in range(count):
        sample = SAMPLES[number % len(SAMPLES)].read_text(encoding="utf-8")
        text = re.sub(r"^id: (\S+)$", rf"id: \g<1>-{number}", sample, count=1, flags=re.M)
        (many / f"p{number}.yaml").write_text(text, encoding="utf-8")
    (many / "zz-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    serial_warnings: list = []
    parallel_warnings: list = []
    serial = load_all([many], warnings=serial_warnings)
    parallel = load_all([many], warnings=parallel_warnings, parallel=True)
    assert len(serial[0]) == count and len(serial[1]) == 1
    assert parallel == serial
    assert parallel_warnings == serial_warnings


def test_the_app_made_after_a_preload_parses_nothing_again(folder, parsed):
    preload([folder], None)  # no cache: what the app gets is what this process parsed
    assert len(parsed) == len(SAMPLES)
    parsed.clear()
    registry = ProcedureRegistry.from_paths([folder])
    assert parsed == []
    assert len(registry.all()) == len(SAMPLES)
