"""Reference numbers, era dates, the JSON Schema, text fallback."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from portal.procedure.schema import json_schema, json_schema_text
from portal.procedure.text import localize
from portal.submissions.reference import new_reference_number, normalise_reference_number
from portal.wareki import to_wareki

ROOT = Path(__file__).resolve().parents[2]


def test_reference_numbers_avoid_look_alike_characters_and_do_not_repeat():
    numbers = {new_reference_number() for _ in range(2000)}
    assert len(numbers) == 2000
    for number in numbers:
        assert re.fullmatch(r"YKH-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", number)


@pytest.mark.parametrize(
    "typed", ["ykh-7k3p-9qrt", "YKH7K3P9QRT", "７Ｋ３Ｐ－９ＱＲＴ", " YKH 7K3P 9QRT "]
)
def test_reference_numbers_are_read_however_they_are_typed(typed):
    assert normalise_reference_number(typed) == "YKH-7K3P-9QRT"


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (dt.date(2026, 11, 26), "令和8年11月26日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_era_dates(day, shown):
    assert to_wareki(day) == shown


def test_schema_json_is_generated_from_the_model():
    committed = (ROOT / "procedures" / "schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), "procedures/schema.json is stale: run `make schema`"
    fields = json.loads(committed)["$defs"]["Page"]["properties"]["fields"]["items"]
    assert fields["discriminator"]["mapping"]["postal_code"] == "#/$defs/PostalCodeQuestion"


def test_the_schema_offers_each_type_only_its_own_settings():
    definitions = json_schema()["$defs"]
    assert "options" in definitions["RadioQuestion"]["properties"]
    assert "options" not in definitions["TextQuestion"]["properties"]
    assert "pattern" not in definitions["TextAreaQuestion"]["properties"]
    assert definitions["TextQuestion"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ({"ja": "申込", "en": "Apply"}, "en", ("Apply", "en")),
        ({"ja": "申込"}, "en", ("申込", "ja")),
        ({"ja": "申込", "en": "Apply"}, "vi", ("Apply", "en")),
        ({"ja": "申込", "en": "Apply"}, "ja_easy", ("申込", "ja")),
        ({"ja": "申込", "ja_easy": "もうしこみ"}, "ja_easy", ("もうしこみ", "ja_easy")),
    ],
)
def test_missing_translation_falls_back_along_the_chain(text, locale, expected):
    picked = localize(text, locale)
    assert (picked.text, picked.locale) == expected


def test_every_field_type_is_found_even_after_one_module_was_imported_alone():
    import subprocess
    import sys

    code = (
        "import portal.procedure.fields.postal_code\n"
        "from portal.procedure.fields import type_names\n"
        "print(' '.join(type_names()))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = {p.stem for p in (ROOT / "portal/procedure/fields").glob("[!_]*.py")}
    assert set(out.stdout.split()) == modules


def test_migrations_build_exactly_the_tables_the_models_describe(tmp_path):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    import portal.migrations  # noqa: F401
    from portal.cli import alembic_config

    url = f"sqlite:///{tmp_path / 'm.db'}"
    command.upgrade(alembic_config(url), "heads")
    engine = create_engine(url)
    with engine.connect() as connection:
        from portal.migrations.metadata import target_metadata

        diff = compare_metadata(MigrationContext.configure(connection), target_metadata())
    engine.dispose()
    assert diff == [], diff
