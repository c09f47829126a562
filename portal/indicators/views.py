"""Public pages: the plan's indicators and the open data (no sign-in, every language)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template

from portal import clock
from portal.extensions import db
from portal.indicators import figures, tables
from portal.indicators import open_data as datasets
from portal.indicators.plan import plan_indicators
from portal.procedure.model import TOKYO, Procedure

blueprint = Blueprint("indicators", __name__)


def _procedures() -> list[Procedure]:
    return current_app.extensions["portal.procedures"].all()


def _today() -> date:
    return clock.now().astimezone(TOKYO).date()


def _catalog_modified() -> date:
    """Return the day a procedure file last changed (the catalog's update date)."""
    files = list(Path(current_app.config["PROCEDURES_DIR"]).glob("*.yaml"))
    if not files:
        return _today()
    latest = max(file.stat().st_mtime for file in files)
    return datetime.fromtimestamp(latest, TOKYO).date()


def _modified(name: str) -> date:
    if name == "procedures":
        return _catalog_modified()
    return figures.last_day(db.session) or _today()


def _site() -> datasets.Site:
    return datasets.Site(current_app.config["BASE_URL"])


def _usage_records() -> list[dict]:
    today = _today()
    months = figures.months_between(figures.first_day(db.session) or today, today)
    ids = [procedure.id for procedure in _procedures()]
    return datasets.usage_records(figures.monthly_per_procedure(db.session, ids, months))


@blueprint.get("/indicators")
def public_indicators():
    return render_template(
        "indicators/indicators.html",
        found=plan_indicators(db.session, _procedures(), _today()),
        number=tables.number,
        rate=tables.rate,
    )


@blueprint.get("/open-data/")
def open_data():
    return render_template(
        "indicators/open_data.html",
        datasets=[(name, _modified(name)) for name in datasets.DATASETS],
        formats=datasets.FORMATS,
        smallest=datasets.SMALLEST_PUBLISHED,
    )


@blueprint.get("/open-data/<any(procedures, usage):name>.<any(csv, json, jsonld, ttl):format_>")
def dataset(name: str, format_: str):
    locales = list(current_app.config["PORTAL_LOCALES"])
    site, modified = _site(), _modified(name)
    if name == "procedures":
        records = datasets.catalog_records(site, _procedures(), locales)
        csv_body = lambda: datasets.catalog_csv(records, locales)  # noqa: E731
        graph = lambda: datasets.catalog_graph(site, records, modified)  # noqa: E731
    else:
        records = _usage_records()
        csv_body = lambda: datasets.usage_csv(records)  # noqa: E731
        graph = lambda: datasets.usage_graph(site, records, modified)  # noqa: E731
    if format_ == "csv":
        body = csv_body()
    elif format_ == "json":
        body = datasets.as_json(name, records, modified)
    elif format_ in ("jsonld", "ttl"):
        body = datasets.serialise(graph(), format_)
    else:
        abort(404)
    mimetype = datasets.FORMATS[format_]
    response = Response(body, mimetype=mimetype)  # text/* gets "; charset=utf-8" from Werkzeug
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{format_}"'
    return response
