"""The JIS X 8341-3:2016 test report (附属書JB.3.1 items and the 達成基準チェックリスト)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape

from accessibility_tests.axe import Review
from accessibility_tests.criteria import CRITERIA, Criterion
from accessibility_tests.findings import Finding, explain
from accessibility_tests.inventory import Inventory
from accessibility_tests.toolchain import HERE

TOKYO = ZoneInfo("Asia/Tokyo")
Result = Literal["fail", "not-applicable", "passed-automated", "needs-review", "not-tested"]
RESULT_LABELS: dict[Result, dict[str, str]] = {
    "fail": {"ja": "不適合（自動試験で問題を検出）", "en": "Fails (found by automated tests)"},
    "not-applicable": {"ja": "適用なし", "en": "Not applicable"},
    "passed-automated": {
        "ja": "自動試験で問題なし（要人手確認）",
        "en": "No problems found by automated tests (needs human review)",
    },
    "needs-review": {"ja": "要人手確認", "en": "Needs human review"},
    "not-tested": {"ja": "未試験", "en": "Not tested"},
}
APPLIES_IF_LABELS = {
    "images": {
        "ja": "画像・アイコン・CSS背景画像がない",
        "en": "no images, icons or CSS background images",
    },
    "media": {
        "ja": "音声・映像・埋め込みコンテンツがない",
        "en": "no audio, video or embedded content",
    },
    "audio": {"ja": "自動再生する音声・映像がない", "en": "no audio or video that could play"},
    "motion": {"ja": "アニメーション・点滅・映像がない", "en": "no animation, blinking or video"},
}


@dataclass
class Ledger:
    """What the audit did and found, collected while the tests run."""

    started: datetime = field(default_factory=lambda: datetime.now(TOKYO))
    target: str = ""
    tools: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # visit id → URL
    outcomes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    findings: list[Finding] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    inventory: Inventory | None = None
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    seconds: dict[str, float] = field(default_factory=dict)
    #: the findings of the test now running
    current: list[Finding] = field(default_factory=list)

    def assert_clean(self, findings: list[Finding]) -> None:
        """Record `findings` for the report and fail the test if there are any."""
        self.findings.extend(findings)
        self.current.extend(findings)
        if findings:
            pytest.fail(explain(findings), pytrace=False)

    def record_outcome(self, numbers: tuple[str, ...], outcome: str) -> None:
        """Count a test's outcome against its criteria: a failure with findings counts
        against the criteria the findings name, and as a pass for the test's others."""
        failing = {finding.criterion for finding in self.current}
        for number in numbers:
            if outcome == "failed" and failing and number not in failing:
                self.outcomes[number]["passed"] += 1
            else:
                self.outcomes[number][outcome] += 1
        self.current.clear()

    def result(self, criterion: Criterion) -> Result:
        """Return the automated result for `criterion`: never a claim of conformance."""
        counts = self.outcomes.get(criterion.number, Counter())
        if counts["failed"] or any(f.criterion == criterion.number for f in self.findings):
            return "fail"
        if (
            criterion.applies_if
            and self.inventory
            and not self.inventory.applies(criterion.applies_if)
        ):
            return "not-applicable"
        if counts["passed"]:
            return "passed-automated"
        return "needs-review" if criterion.kind == "HC" else "not-tested"

    def as_data(self, finished: datetime) -> dict[str, Any]:
        """Return the whole report as plain data (report.json)."""
        pages = sorted({url.split("?")[0] for url in self.urls.values()})
        rows = []
        for criterion in CRITERIA:
            result = self.result(criterion)
            counts = self.outcomes.get(criterion.number, Counter())
            rows.append(
                {
                    **asdict(criterion),
                    "result": result,
                    "result_label": RESULT_LABELS[result],
                    "tests": dict(counts),
                    "findings": sum(f.criterion == criterion.number for f in self.findings),
                    "reviews": sum(r.criterion == criterion.number for r in self.reviews),
                    "not_applicable_because": (
                        APPLIES_IF_LABELS[criterion.applies_if]
                        if result == "not-applicable" and criterion.applies_if
                        else None
                    ),
                    "notes": self.notes.get(criterion.number, []),
                }
            )
        return {
            "statement_date": None,
            "report_date": finished.date().isoformat(),
            "standard": "JIS X 8341-3:2016",
            "target_level": "AA",
            "target": self.target,
            "technologies": ["HTML", "CSS"],
            "selection": "all pages and states, derived from the procedure definitions",
            "page_count": len(pages),
            "state_count": len(self.urls),
            "pages": pages,
            "tested": dict(sorted(self.urls.items())),
            "period": {
                "start": self.started.isoformat(timespec="seconds"),
                "end": finished.isoformat(timespec="seconds"),
            },
            "tools": self.tools,
            "seconds": self.seconds,
            "summary": dict(Counter(row["result"] for row in rows)),
            "criteria": rows,
            "findings": [finding.as_dict() for finding in self.findings],
            "reviews": _grouped_reviews(self.reviews),
            "inventory": self.inventory.found if self.inventory else None,
        }

    def write(self, folder: Path) -> Path:
        """Write index.html (Japanese), index.en.html and report.json; return index.html."""
        data = self.as_data(datetime.now(TOKYO))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "report.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        environment = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
        )
        template = environment.get_template("report.html")
        for language, name in (("ja", "index.html"), ("en", "index.en.html")):
            (folder / name).write_text(template.render(data=data, lang=language), encoding="utf-8")
        return folder / "index.html"


def _grouped_reviews(reviews: list[Review]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[Review]] = defaultdict(list)
    for review in reviews:
        groups[(review.criterion, review.rule)].append(review)
    return [
        {
            "criterion": criterion,
            "rule": rule,
            "count": len(items),
            "question": items[0].question,
            "examples": [{"where": str(r.where), "element": r.element} for r in items[:5]],
        }
        for (criterion, rule), items in sorted(groups.items())
    ]
