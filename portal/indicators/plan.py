"""The city plan's indicators (施策2–4): procedures online, of them strict-ID, use per year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from portal.indicators.figures import Period, Totals, totals
from portal.procedure.model import Procedure


@dataclass(frozen=True)
class FiscalYear:
    """A Japanese fiscal year (年度): 1 April to 31 March."""

    year: int

    @classmethod
    def of(cls, day: date) -> FiscalYear:
        """Return the fiscal year `day` falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 3, 31)

    def previous(self) -> FiscalYear:
        return FiscalYear(self.year - 1)


@dataclass(frozen=True)
class YearUse:
    """One fiscal year's submissions, and the share of them made without a single error."""

    fiscal_year: FiscalYear
    totals: Totals

    @property
    def share_without_errors(self) -> float | None:
        """Return submitted without errors / submitted, of the submissions the portal counted
        as they were made (None when there were none)."""
        submitted = self.totals.submitted_counted
        return self.totals.submitted_without_errors / submitted if submitted else None


@dataclass(frozen=True)
class PlanIndicators:
    """What the plan asks the portal to report."""

    procedures_online: int
    strict_identity: int
    this_year: YearUse
    last_year: YearUse


def _year_use(session: Session, ids: list[str], fiscal_year: FiscalYear) -> YearUse:
    found = totals(session, ids, Period(fiscal_year.start, fiscal_year.end))
    summed = Totals()
    for each in found.values():
        summed.add(each)
    return YearUse(fiscal_year, summed)


def plan_indicators(session: Session, procedures: list[Procedure], today: date) -> PlanIndicators:
    """Return the indicators for the procedures served, with this fiscal year's and last's use."""
    ids = [procedure.id for procedure in procedures]
    this_year = FiscalYear.of(today)
    return PlanIndicators(
        procedures_online=len(procedures),
        strict_identity=sum(1 for procedure in procedures if procedure.identity == "mynumber"),
        this_year=_year_use(session, ids, this_year),
        last_year=_year_use(session, ids, this_year.previous()),
    )
