"""The figures the dashboard, the indicators page and the open data show, read from the counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.indicators.counting import EARLIER
from portal.indicators.models import CompletionTime, UsageCount
from portal.procedure.model import Procedure

Month = tuple[int, int]


@dataclass(frozen=True)
class Period:
    """The days (inclusive) and the language the figures are about; None: every language."""

    start: date
    end: date
    locale: str | None = None


@dataclass
class Totals:
    """How many drafts were started and how many were submitted."""

    started: int = 0
    #: every submission, those made before the portal counted included
    submitted: int = 0
    #: the submissions the portal counted as they were made (they have a start and errors)
    submitted_counted: int = 0
    submitted_without_errors: int = 0
    #: an event's applications given a place on the waiting list, and bookings cancelled
    waitlisted: int = 0
    cancelled: int = 0

    @property
    def completion_rate(self) -> float | None:
        """Return submitted / started (of what was counted), or None when nothing was started."""
        return self.submitted_counted / self.started if self.started else None

    def add(self, other: Totals) -> None:
        """Add another's totals to these."""
        for name in (
            "started",
            "submitted",
            "submitted_counted",
            "submitted_without_errors",
            "waitlisted",
            "cancelled",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class FunnelStep:
    """One step of the funnel: how many drafts got there (`kind`: started, page, check, submitted)."""

    kind: str
    page_id: str
    count: int


@dataclass
class MonthRow:
    """The totals of one calendar month."""

    month: Month
    totals: Totals = field(default_factory=Totals)


def months_ending(last: date, count: int = 14) -> list[Month]:
    """Return the `count` calendar months up to and including the month of `last`, oldest first."""
    index = last.year * 12 + last.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def _month_of(months: list[Month]) -> tuple[date, date]:
    """Return the first day of the first month and the first day after the last month."""
    (first_year, first_month), (last_year, last_month) = months[0], months[-1]
    after = last_year * 12 + last_month  # the month after the last, counted from year 0
    return date(first_year, first_month, 1), date(after // 12, after % 12 + 1, 1)


def _filtered(statement, period: Period, procedure_ids: Iterable[str]):
    statement = statement.where(
        UsageCount.procedure_id.in_(list(procedure_ids)),
        UsageCount.day >= period.start,
        UsageCount.day <= period.end,
    )
    if period.locale:
        statement = statement.where(UsageCount.locale == period.locale)
    return statement


def _add(totals: Totals, event: str, subject: str, count: int) -> None:
    if event == "draft_started":
        totals.started += count
    elif event == "submitted":
        totals.submitted += count
        if subject != EARLIER:
            totals.submitted_counted += count
    elif event in ("submitted_without_errors", "waitlisted", "cancelled"):
        setattr(totals, event, getattr(totals, event) + count)


TOTAL_EVENTS = ("draft_started", "submitted", "submitted_without_errors", "waitlisted", "cancelled")


def totals(session: Session, procedure_ids: list[str], period: Period) -> dict[str, Totals]:
    """Return each procedure's totals in `period` (every id given is in the answer)."""
    found = {procedure_id: Totals() for procedure_id in procedure_ids}
    rows = session.execute(
        _filtered(
            select(
                UsageCount.procedure_id,
                UsageCount.event,
                UsageCount.subject,
                func.sum(UsageCount.count),
            ),
            period,
            procedure_ids,
        )
        .where(UsageCount.event.in_(TOTAL_EVENTS))
        .group_by(UsageCount.procedure_id, UsageCount.event, UsageCount.subject)
    )
    for procedure_id, event, subject, count in rows:
        _add(found[procedure_id], event, subject, int(count))
    return found


def _by_event_and_subject(
    session: Session, procedure_id: str, period: Period
) -> dict[tuple[str, str], int]:
    rows = session.execute(
        _filtered(
            select(UsageCount.event, UsageCount.subject, func.sum(UsageCount.count)),
            period,
            [procedure_id],
        ).group_by(UsageCount.event, UsageCount.subject)
    )
    return {(event, subject): int(count) for event, subject, count in rows}


def funnel(session: Session, procedure: Procedure, period: Period) -> list[FunnelStep]:
    """Return the drafts that got to each step: started, each page in order, check, submitted.

    Pages of earlier versions that the current one no longer has come after the current pages.
    """
    counted = _by_event_and_subject(session, procedure.id, period)
    current = [page.id for page in procedure.pages]
    older = sorted(
        {s for e, s in counted if e == "page_reached"} - set(current),
    )
    return [
        FunnelStep("started", "", counted.get(("draft_started", ""), 0)),
        *(
            FunnelStep("page", page_id, counted.get(("page_reached", page_id), 0))
            for page_id in [*current, *older]
        ),
        FunnelStep("check", "", counted.get(("check_reached", ""), 0)),
        FunnelStep("submitted", "", counted.get(("submitted", ""), 0)),
    ]


def question_errors(session: Session, procedure_id: str, period: Period) -> list[tuple[str, int]]:
    """Return (question id, validation errors shown) in `period`, most errors first."""
    counted = _by_event_and_subject(session, procedure_id, period)
    errors = [(s, n) for (e, s), n in counted.items() if e == "validation_error"]
    return sorted(errors, key=lambda row: (-row[1], row[0]))


def monthly(
    session: Session, procedure_ids: list[str], months: list[Month], locale: str | None = None
) -> list[MonthRow]:
    """Return the totals of `procedure_ids` together in each of `months`."""
    start, after = _month_of(months)
    period = Period(start, date.fromordinal(after.toordinal() - 1), locale)
    rows = session.execute(
        _filtered(
            select(
                UsageCount.day, UsageCount.event, UsageCount.subject, func.sum(UsageCount.count)
            ),
            period,
            procedure_ids,
        )
        .where(UsageCount.event.in_(TOTAL_EVENTS))
        .group_by(UsageCount.day, UsageCount.event, UsageCount.subject)
    )
    by_month = {month: MonthRow(month) for month in months}
    for day, event, subject, count in rows:
        _add(by_month[(day.year, day.month)].totals, event, subject, int(count))
    return list(by_month.values())


def monthly_per_procedure(
    session: Session, procedure_ids: list[str], months: list[Month]
) -> dict[str, list[MonthRow]]:
    """Return each procedure's totals in each of `months`."""
    start, after = _month_of(months)
    period = Period(start, date.fromordinal(after.toordinal() - 1))
    rows = session.execute(
        _filtered(
            select(
                UsageCount.procedure_id,
                UsageCount.day,
                UsageCount.event,
                UsageCount.subject,
                func.sum(UsageCount.count),
            ),
            period,
            procedure_ids,
        )
        .where(UsageCount.event.in_(TOTAL_EVENTS))
        .group_by(UsageCount.procedure_id, UsageCount.day, UsageCount.event, UsageCount.subject)
    )
    found = {pid: {month: MonthRow(month) for month in months} for pid in procedure_ids}
    for procedure_id, day, event, subject, count in rows:
        _add(found[procedure_id][(day.year, day.month)].totals, event, subject, int(count))
    return {pid: list(rows.values()) for pid, rows in found.items()}


@dataclass(frozen=True)
class Durations:
    """How long submissions took from start to submit, in whole minutes."""

    count: int
    median: int | None
    p90: int | None


def _quantile(histogram: list[tuple[int, int]], total: int, share: float) -> int:
    wanted = max(1, -(-int(total * share * 1000) // 1000))  # ceil(total * share), at least 1
    seen = 0
    for minutes, count in histogram:
        seen += count
        if seen >= wanted:
            return minutes
    return histogram[-1][0]


def durations(session: Session, procedure_ids: list[str], period: Period) -> Durations:
    """Return the median and 90th percentile time to complete (the lower value at a tie)."""
    statement = select(CompletionTime.minutes, func.sum(CompletionTime.count)).where(
        CompletionTime.procedure_id.in_(procedure_ids),
        CompletionTime.day >= period.start,
        CompletionTime.day <= period.end,
    )
    if period.locale:
        statement = statement.where(CompletionTime.locale == period.locale)
    histogram = [
        (minutes, int(count))
        for minutes, count in session.execute(
            statement.group_by(CompletionTime.minutes).order_by(CompletionTime.minutes)
        )
    ]
    total = sum(count for _minutes, count in histogram)
    if not total:
        return Durations(0, None, None)
    return Durations(total, _quantile(histogram, total, 0.5), _quantile(histogram, total, 0.9))


def last_day(session: Session) -> date | None:
    """Return the latest day anything was counted (the open data's update date)."""
    return session.scalar(select(func.max(UsageCount.day)))


def first_day(session: Session) -> date | None:
    """Return the first day anything was counted."""
    return session.scalar(select(func.min(UsageCount.day)))


def months_between(first: date, last: date) -> list[Month]:
    """Return every calendar month from the month of `first` to that of `last`, oldest first."""
    count = (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1
    return months_ending(last, max(count, 1))
