"""The JIS report: all 38 criteria, honest results, both languages (no browser needed)."""

from __future__ import annotations

import json
from pathlib import Path

from accessibility_tests.criteria import CRITERIA, from_axe_tags
from accessibility_tests.findings import Finding, Where
from accessibility_tests.inventory import Inventory
from accessibility_tests.report import Ledger

WHERE = Where(page="catalog", state="shown", locale="ja", url="http://127.0.0.1/")


def test_the_checklist_has_the_38_level_a_and_aa_criteria() -> None:
    levels = [criterion.level for criterion in CRITERIA]
    assert (len(CRITERIA), levels.count("A"), levels.count("AA")) == (38, 25, 13)
    assert len({criterion.number for criterion in CRITERIA}) == 38


def test_axe_tags_map_to_criteria() -> None:
    assert [c.number for c in from_axe_tags(["cat.forms", "wcag2a", "wcag412", "wcag131"])] == [
        "4.1.2",
        "1.3.1",
    ]


def test_a_failed_test_or_a_finding_makes_its_criterion_fail() -> None:
    ledger = Ledger(inventory=Inventory())
    ledger.record_outcome(("2.4.7",), "failed")
    ledger.findings.append(Finding(WHERE, "1.4.4", "no-horizontal-scroll", "html", "wide", "wrap"))
    results = {c.number: ledger.result(c) for c in CRITERIA}
    assert results["2.4.7"] == results["1.4.4"] == "fail"


def test_criteria_for_content_the_inventory_did_not_find_do_not_apply() -> None:
    ledger = Ledger(inventory=Inventory())
    results = {c.number: ledger.result(c) for c in CRITERIA}
    assert {n for n, r in results.items() if r == "not-applicable"} == {
        "1.1.1",
        "1.2.1",
        "1.2.2",
        "1.2.3",
        "1.2.4",
        "1.2.5",
        "1.4.2",
        "1.4.5",
        "2.2.2",
        "2.3.1",
    }


def test_an_image_makes_the_image_criteria_apply() -> None:
    inventory = Inventory()
    inventory.found["images"]["http://127.0.0.1/"] = ["img"]
    ledger = Ledger(inventory=inventory)
    assert ledger.result(next(c for c in CRITERIA if c.number == "1.1.1")) == "not-tested"


def test_passing_tests_never_claim_conformance(tmp_path: Path) -> None:
    ledger = Ledger(inventory=Inventory(), target="http://127.0.0.1:5000")
    for criterion in CRITERIA:
        ledger.record_outcome((criterion.number,), "passed")
    ledger.urls["ja/catalog/shown"] = "http://127.0.0.1:5000/?lang=ja"
    index = ledger.write(tmp_path)
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert {row["result"] for row in data["criteria"]} <= {"passed-automated", "not-applicable"}
    assert all("準拠" not in row["result_label"]["ja"] for row in data["criteria"])
    japanese = index.read_text(encoding="utf-8")
    english = (tmp_path / "index.en.html").read_text(encoding="utf-8")
    assert "準拠（又は一部準拠）を表明するものではありません" in japanese
    assert "It does not claim conformance" in english
    assert japanese.count('<th scope="row">') == english.count('<th scope="row">') == 38 + 9
    assert data["page_count"] == 1 and data["standard"] == "JIS X 8341-3:2016"


def test_a_failure_counts_against_the_criteria_its_findings_name_only() -> None:
    ledger = Ledger(inventory=Inventory())
    ledger.current.append(Finding(WHERE, "3.3.1", "aria-invalid", "input", "not marked", "mark it"))
    ledger.record_outcome(("3.3.1", "3.3.3"), "failed")
    results = {c.number: ledger.result(c) for c in CRITERIA}
    assert (results["3.3.1"], results["3.3.3"]) == ("fail", "passed-automated")
