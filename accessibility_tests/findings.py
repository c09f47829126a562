"""A barrier found by a check, said so that whoever reads it knows what to fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from accessibility_tests.criteria import criterion


@dataclass(frozen=True)
class Where:
    """The page, state and locale a check looked at."""

    page: str
    state: str
    locale: str
    url: str

    def __str__(self) -> str:
        return f"page {self.page} (state: {self.state}, locale: {self.locale}) {self.url}"


@dataclass(frozen=True)
class Finding:
    """One barrier: where, which criterion and rule, which element, and how to fix it."""

    where: Where
    criterion: str
    rule: str
    element: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return (
            f"[{criterion(self.criterion).label}] rule {self.rule}\n"
            f"  at:      {self.where}\n"
            f"  element: {self.element}\n"
            f"  problem: {self.problem}\n"
            f"  fix:     {self.fix}"
        )

    def as_dict(self) -> dict[str, object]:
        """Return the finding as plain data for report.json."""
        return asdict(self)


def explain(findings: list[Finding]) -> str:
    """Return a failure message listing every finding."""
    return f"{len(findings)} accessibility barrier(s):\n\n" + "\n\n".join(map(str, findings))
