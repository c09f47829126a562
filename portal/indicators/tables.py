"""The dashboard's tables, each the data of its chart and of its CSV: one definition, three views."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from portal.indicators.figures import Durations, FunnelStep, Month, MonthRow, Totals
from portal.procedure.model import Procedure
from portal.procedure.text import plain
from portal.staff.export import BOM, FORMULA_STARTS

Cell = str | int | float | None


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its series, its length (a count) and what it says."""

    series: str
    value: int
    text: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    bars: tuple[Bar, ...]


@dataclass
class Table:
    """A table as shown (`shown`), as downloaded (`rows`), and the chart drawn from it."""

    name: str
    caption: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    shown: list[list[str]] = field(default_factory=list)
    chart: list[ChartRow] = field(default_factory=list)
    #: a sentence that says what the chart shows, for those who do not see it
    summary: str = ""

    @property
    def longest(self) -> int:
        """Return the largest value any bar has (the full width of the chart)."""
        return max((bar.value for row in self.chart for bar in row.bars), default=0)

    def add(self, raw: list[Cell], shown: list[str]) -> None:
        self.rows.append(raw)
        self.shown.append(shown)


def number(value: int | None) -> str:
    """Return a count as people read it in the current language."""
    return "—" if value is None else format_decimal(value)


def rate(value: float | None) -> str:
    """Return a share as a percentage in the current language (— when there is none)."""
    return "—" if value is None else format_percent(value, "#,##0.0%")


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def month_label(month: Month) -> str:
    """Return a month like 2026-04 (the same in every language, and sortable)."""
    return f"{month[0]:04d}-{month[1]:02d}"


def _step_name(procedure: Procedure, step: FunnelStep, locale: str) -> str:
    if step.kind == "started":
        return _("Drafts started")
    if step.kind == "check":
        return _("Check your answers")
    if step.kind == "submitted":
        return _("Applications submitted")
    page = procedure.page(step.page_id)
    title = plain(page.title, locale) if page else _("A page no longer in the procedure")
    return _("Page: %(title)s", title=title)


def funnel_table(procedure: Procedure, steps: list[FunnelStep], locale: str) -> Table:
    """Return how many drafts reached each step and how many stopped there."""
    table = Table(
        "funnel",
        _("Where residents stop: drafts that reached each step"),
        [_("Step"), _("Reached"), _("Share of drafts started (%)"), _("Went no further")],
    )
    started = steps[0].count if steps else 0
    for index, step in enumerate(steps):
        following = steps[index + 1].count if index + 1 < len(steps) else None
        stopped = None if following is None else max(step.count - following, 0)
        share = step.count / started if started else None
        name = _step_name(procedure, step, locale)
        table.add(
            [name, step.count, _percent(share), stopped],
            [name, number(step.count), rate(share), number(stopped)],
        )
        table.chart.append(ChartRow(name, (Bar("reached", step.count, number(step.count)),)))
    table.summary = _(
        "%(started)s drafts started, %(submitted)s submitted.",
        started=number(started),
        submitted=number(steps[-1].count if steps else 0),
    )
    return table


def errors_table(procedure: Procedure, errors: list[tuple[str, int]], locale: str) -> Table:
    """Return the questions whose answers were refused most often, most first."""
    table = Table(
        "errors",
        _("Questions with the most errors"),
        [_("Question"), _("Errors shown")],
    )
    for question_id, count in errors:
        question = procedure.field(question_id)
        name = plain(question.label, locale) if question else question_id
        table.add([name, count], [name, number(count)])
        table.chart.append(ChartRow(name, (Bar("errors", count, number(count)),)))
    table.summary = (
        _(
            "%(question)s had the most errors: %(count)s.",
            question=table.rows[0][0],
            count=number(errors[0][1]),
        )
        if errors
        else _("No answer was refused in this period.")
    )
    return table


def monthly_table(months: list[MonthRow]) -> Table:
    """Return started, submitted and the completion rate of each month."""
    table = Table(
        "monthly",
        _("By month"),
        [_("Month"), _("Drafts started"), _("Applications submitted"), _("Completion rate (%)")],
    )
    for row in months:
        name, totals = month_label(row.month), row.totals
        table.add(
            [name, totals.started, totals.submitted, _percent(totals.completion_rate)],
            [name, number(totals.started), number(totals.submitted), rate(totals.completion_rate)],
        )
        table.chart.append(
            ChartRow(
                name,
                (
                    Bar(
                        "started",
                        totals.started,
                        _("Drafts started: %(n)s", n=number(totals.started)),
                    ),
                    Bar(
                        "submitted",
                        totals.submitted,
                        _("Applications submitted: %(n)s", n=number(totals.submitted)),
                    ),
                ),
            )
        )
    busiest = max(months, key=lambda row: row.totals.submitted, default=None)
    table.summary = (
        _(
            "Most submissions: %(month)s, with %(count)s.",
            month=month_label(busiest.month),
            count=number(busiest.totals.submitted),
        )
        if busiest and busiest.totals.submitted
        else _("Nothing was submitted in these months.")
    )
    return table


def procedures_table(
    procedures: list[Procedure],
    totals: dict[str, Totals],
    durations: dict[str, Durations],
    locale: str,
) -> Table:
    """Return each procedure's started, submitted, completion rate and time to complete."""
    table = Table(
        "procedures",
        _("Usage by procedure"),
        [
            _("Procedure"),
            _("Drafts started"),
            _("Applications submitted"),
            _("Completion rate (%)"),
            _("Median minutes to complete"),
            _("90th percentile minutes"),
        ],
    )
    for procedure in procedures:
        found, took = totals[procedure.id], durations[procedure.id]
        name = plain(procedure.title, locale)
        table.add(
            [
                name,
                found.started,
                found.submitted,
                _percent(found.completion_rate),
                took.median,
                took.p90,
            ],
            [
                name,
                number(found.started),
                number(found.submitted),
                rate(found.completion_rate),
                number(took.median),
                number(took.p90),
            ],
        )
        table.chart.append(
            ChartRow(
                name,
                (
                    Bar(
                        "started",
                        found.started,
                        _("Drafts started: %(n)s", n=number(found.started)),
                    ),
                    Bar(
                        "submitted",
                        found.submitted,
                        _("Applications submitted: %(n)s", n=number(found.submitted)),
                    ),
                ),
            )
        )
    table.summary = _(
        "%(count)s procedures: drafts started and submitted in this period.",
        count=number(len(procedures)),
    )
    return table


def _escaped(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def to_csv(table: Table) -> bytes:
    """Return the table as CSV for Excel: UTF-8 with BOM, CRLF, formulas never run."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_escaped(h) for h in table.headers])
    for row in table.rows:
        writer.writerow(["" if cell is None else _escaped(cell) for cell in row])
    return (BOM + out.getvalue()).encode("utf-8")


def filename(table: Table, scope: str, start: date, end: date) -> str:
    """Return the download's name: what, of what, for which days."""
    return f"usage-{scope}-{table.name}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
