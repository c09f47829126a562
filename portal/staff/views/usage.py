"""The usage dashboard: started, submitted, where residents stop and which questions trip them."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from portal import clock
from portal.extensions import db
from portal.form_errors import form_errors
from portal.i18n import current_locale
from portal.indicators import figures, tables
from portal.indicators.plan import plan_indicators
from portal.locales import BY_CODE, html_lang
from portal.procedure.model import TOKYO, Procedure
from portal.staff import guard
from portal.staff.forms import UsageFilterForm
from portal.staff.views._common import procedure_or_404, procedures
from portal.staff.views.blueprint import blueprint

MONTHS = 14


def _filters() -> tuple[UsageFilterForm, figures.Period]:
    """Read the filters; the default (and the answer to a wrong filter) is the last 14 months."""
    enabled = current_app.config["PORTAL_LOCALES"]
    languages = [(code, BY_CODE[code].name) for code in enabled]
    given = {k: request.args.get(k, "").strip() for k in ("start", "end", "lang")}
    form = UsageFilterForm(languages, formdata=MultiDict({k: v for k, v in given.items() if v}))
    today = clock.now().astimezone(TOKYO).date()
    first_year, first_month = figures.months_ending(today, MONTHS)[0]
    default = figures.Period(date(first_year, first_month, 1), today)
    if not form.validate():
        return form, default
    return form, figures.Period(
        form.start.data or default.start, form.end.data or default.end, form.lang.data or None
    )


def _months(period: figures.Period) -> list[figures.Month]:
    return figures.months_ending(period.end, MONTHS)


def _visible() -> list[Procedure]:
    allowed = set(guard.permissions().visible([p.id for p in procedures()]))
    return [p for p in procedures() if p.id in allowed]


def _overview_tables(period: figures.Period) -> list[tables.Table]:
    shown = _visible()
    ids = [p.id for p in shown]
    session = db.session
    took = {pid: figures.durations(session, [pid], period) for pid in ids}
    return [
        tables.procedures_table(
            shown, figures.totals(session, ids, period), took, current_locale()
        ),
        tables.monthly_table(figures.monthly(session, ids, _months(period), period.locale)),
    ]


def _procedure_tables(procedure: Procedure, period: figures.Period) -> list[tables.Table]:
    session, locale = db.session, current_locale()
    return [
        tables.funnel_table(procedure, figures.funnel(session, procedure, period), locale),
        tables.errors_table(
            procedure, figures.question_errors(session, procedure.id, period), locale
        ),
        tables.monthly_table(
            figures.monthly(session, [procedure.id], _months(period), period.locale)
        ),
    ]


def _page(procedure: Procedure | None, built: list[tables.Table], form, period):
    totals = figures.totals(db.session, [procedure.id], period)[procedure.id] if procedure else None
    ids = [procedure.id] if procedure else [p.id for p in _visible()]
    return render_template(
        "staff/usage.html",
        procedure=procedure,
        tables=built,
        form=form,
        period=period,
        totals=totals,
        durations=figures.durations(db.session, ids, period),
        errors=form_errors(form, ["start", "end", "lang"]),
        visible=[] if procedure else _visible(),
        number=tables.number,
        rate=tables.rate,
        language_tags={code: html_lang(code) for code in current_app.config["PORTAL_LOCALES"]},
        query={k: v for k, v in request.args.items() if k in ("start", "end", "lang") and v},
    )


def _download(built: list[tables.Table], name: str, scope: str, period) -> Response:
    table = next((t for t in built if t.name == name), None) or abort(404)
    response = Response(tables.to_csv(table), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{tables.filename(table, scope, period.start, period.end)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/usage")
def usage():
    form, period = _filters()
    return _page(None, _overview_tables(period), form, period)


@blueprint.get("/usage/<name>.csv")
def usage_csv(name: str):
    _form, period = _filters()
    return _download(_overview_tables(period), name, "all", period)


@blueprint.get("/procedures/<procedure_id>/usage")
def procedure_usage(procedure_id: str):
    guard.require("view", procedure_id)
    procedure = procedure_or_404(procedure_id)
    form, period = _filters()
    return _page(procedure, _procedure_tables(procedure, period), form, period)


@blueprint.get("/procedures/<procedure_id>/usage/<name>.csv")
def procedure_usage_csv(procedure_id: str, name: str):
    guard.require("view", procedure_id)
    procedure = procedure_or_404(procedure_id)
    _form, period = _filters()
    return _download(_procedure_tables(procedure, period), name, procedure.id, period)


@blueprint.get("/indicators")
def indicators():
    return render_template(
        "staff/indicators.html",
        found=plan_indicators(db.session, procedures(), clock.now().astimezone(TOKYO).date()),
        number=tables.number,
        rate=tables.rate,
    )
