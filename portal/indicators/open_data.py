"""The open data: the procedure catalog and its monthly use, as CSV, JSON, JSON-LD and Turtle.

Described with DCAT (the datasets and their files) and schema.org (each procedure a
`GovernmentService`); monthly use is a Data Cube observation per procedure and month.
Counts from 1 to 9 are suppressed so that no resident can be singled out.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from portal.indicators.figures import Month, MonthRow
from portal.indicators.tables import month_label
from portal.locales import DEFAULT, html_lang
from portal.procedure.model import Procedure
from portal.procedure.text import without_ruby
from portal.staff.export import BOM

SCHEMA = Namespace("https://schema.org/")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
LICENCE_NAME = "CC BY 4.0"
PUBLISHER = {"ja": "横浜市", "en": "City of Yokohama"}
#: counts below this (and above 0) are published as suppressed
SMALLEST_PUBLISHED = 10
FORMATS = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonld": "application/ld+json",
    "ttl": "text/turtle",
}
DATASETS = ("procedures", "usage")
TITLES = {
    "procedures": {"ja": "オンライン手続の一覧", "en": "Procedures that can be done online"},
    "usage": {"ja": "オンライン手続の月別利用件数", "en": "Monthly use of each online procedure"},
}


@dataclass(frozen=True)
class Site:
    """Where the data lives: every URI is made from the portal's base URL, so it stays the same."""

    base_url: str

    def uri(self, path: str) -> URIRef:
        return URIRef(f"{self.base_url.rstrip('/')}/{path.lstrip('/')}")

    def service(self, procedure_id: str) -> URIRef:
        return self.uri(f"open-data/id/procedure/{procedure_id}")

    def dataset(self, name: str) -> URIRef:
        return self.uri(f"open-data/{name}")

    def download(self, name: str, format_: str) -> URIRef:
        return self.uri(f"open-data/{name}.{format_}")

    def observation(self, procedure_id: str, month: Month) -> URIRef:
        return self.uri(f"open-data/id/usage/{procedure_id}/{month_label(month)}")

    @property
    def vocabulary(self) -> Namespace:
        return Namespace(f"{self.base_url.rstrip('/')}/open-data/def#")


def suppressed(count: int) -> int | None:
    """Return the count as published: None (suppressed) when from 1 to 9."""
    return None if 0 < count < SMALLEST_PUBLISHED else count


def _rate(started: int | None, submitted: int | None) -> float | None:
    if started is None or submitted is None or not started:
        return None
    return round(submitted / started * 100, 1)


def _written(text: dict[str, str], locales: list[str]) -> dict[str, str]:
    """Return a staff text in each enabled language it is written in (no fallback, no markup)."""
    return {code: without_ruby(text[code]) for code in locales if code in text}


def _procedure_record(site: Site, procedure: Procedure, locales: list[str]) -> dict:
    window = procedure.window
    return {
        "id": procedure.id,
        "uri": str(site.service(procedure.id)),
        "version": procedure.version,
        "title": _written(procedure.title, locales),
        "category": _written(procedure.category, locales),
        "identity": procedure.identity,
        "opens": window.opens.isoformat() if window.opens else None,
        "closes": window.closes.isoformat() if window.closes else None,
        "department": _written(procedure.contact.department, locales),
        "url": str(site.uri(f"procedures/{procedure.id}")),
    }


def catalog_records(site: Site, procedures: list[Procedure], locales: list[str]) -> list[dict]:
    """Return each procedure as the catalog publishes it."""
    return [_procedure_record(site, procedure, locales) for procedure in procedures]


def usage_records(usage: dict[str, list[MonthRow]]) -> list[dict]:
    """Return each procedure's monthly use, small counts suppressed."""
    records = []
    for procedure_id, months in usage.items():
        for row in months:
            started, submitted = suppressed(row.totals.started), suppressed(row.totals.submitted)
            records.append(
                {
                    "procedure_id": procedure_id,
                    "month": month_label(row.month),
                    "started": started,
                    "submitted": submitted,
                    # of the submissions counted as they were made (none before counting began)
                    "completion_rate_percent": _rate(
                        started, suppressed(row.totals.submitted_counted)
                    ),
                }
            )
    return records


def _csv(headers: list[str], rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return (BOM + out.getvalue()).encode("utf-8")


def catalog_csv(records: list[dict], locales: list[str]) -> bytes:
    """Return the catalog as CSV for Excel (UTF-8 with BOM), a title column per language."""
    headers = [
        "id",
        "uri",
        "version",
        *(f"title_{code}" for code in locales),
        f"category_{DEFAULT}",
        "identity",
        "opens",
        "closes",
        f"department_{DEFAULT}",
        "url",
    ]
    rows = [
        [
            r["id"],
            r["uri"],
            r["version"],
            *(r["title"].get(code) for code in locales),
            r["category"].get(DEFAULT),
            r["identity"],
            r["opens"],
            r["closes"],
            r["department"].get(DEFAULT),
            r["url"],
        ]
        for r in records
    ]
    return _csv(headers, rows)


def usage_csv(records: list[dict]) -> bytes:
    """Return the monthly use as CSV for Excel; a suppressed count is an empty cell."""
    headers = ["procedure_id", "month", "started", "submitted", "completion_rate_percent"]
    return _csv(headers, [[r[h] for h in headers] for r in records])


def as_json(name: str, records: list[dict], modified: date) -> bytes:
    """Return a dataset as JSON with its licence and update date."""
    document = {
        "dataset": name,
        "title": TITLES[name],
        "license": str(LICENCE),
        "license_name": LICENCE_NAME,
        "modified": modified.isoformat(),
        "suppressed_below": SMALLEST_PUBLISHED if name == "usage" else None,
        "records": records,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _texts(graph: Graph, subject, predicate, texts: dict[str, str]) -> None:
    seen: set[tuple[str, str]] = set()
    for code, text in texts.items():
        tag = html_lang(code)
        if (tag, text) not in seen:  # ja and ja_easy share a tag; keep each text once
            seen.add((tag, text))
            graph.add((subject, predicate, Literal(text, lang=tag)))


def _describe_dataset(graph: Graph, site: Site, name: str, modified: date) -> None:
    dataset = site.dataset(name)
    graph.add((dataset, RDF.type, DCAT.Dataset))
    _texts(graph, dataset, DCTERMS.title, TITLES[name])
    graph.add((dataset, DCTERMS.license, LICENCE))
    graph.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    publisher = BNode()
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, SCHEMA.GovernmentOrganization))
    _texts(graph, publisher, SCHEMA.name, PUBLISHER)
    for format_, media_type in FORMATS.items():
        distribution = site.download(name, format_)
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, distribution))
        graph.add(
            (
                distribution,
                DCAT.mediaType,
                URIRef(f"https://www.iana.org/assignments/media-types/{media_type}"),
            )
        )
        graph.add((distribution, DCTERMS.license, LICENCE))


def _property(graph: Graph, subject, name: str, value: Literal) -> None:
    node = BNode()
    graph.add((subject, SCHEMA.additionalProperty, node))
    graph.add((node, RDF.type, SCHEMA.PropertyValue))
    graph.add((node, SCHEMA.propertyID, Literal(name)))
    graph.add((node, SCHEMA.value, value))


def catalog_graph(site: Site, records: list[dict], modified: date) -> Graph:
    """Return the catalog: a DCAT dataset of schema.org GovernmentServices."""
    graph = _graph(site)
    _describe_dataset(graph, site, "procedures", modified)
    for record in records:
        service = URIRef(record["uri"])
        graph.add((service, RDF.type, SCHEMA.GovernmentService))
        graph.add((site.dataset("procedures"), DCTERMS.hasPart, service))
        graph.add((service, SCHEMA.identifier, Literal(record["id"])))
        graph.add((service, SCHEMA.version, Literal(record["version"])))
        _texts(graph, service, SCHEMA.name, record["title"])
        _texts(graph, service, SCHEMA.category, record["category"])
        graph.add((service, SCHEMA.url, URIRef(record["url"])))
        provider = BNode()
        graph.add((service, SCHEMA.provider, provider))
        graph.add((provider, RDF.type, SCHEMA.GovernmentOrganization))
        _texts(graph, provider, SCHEMA.name, record["department"])
        channel = BNode()
        graph.add((service, SCHEMA.availableChannel, channel))
        graph.add((channel, RDF.type, SCHEMA.ServiceChannel))
        graph.add((channel, SCHEMA.serviceUrl, URIRef(record["url"])))
        _property(graph, service, "identity", Literal(record["identity"]))
        for name in ("opens", "closes"):
            if record[name]:
                _property(graph, service, name, Literal(record[name], datatype=XSD.dateTime))
    return graph


def usage_graph(site: Site, records: list[dict], modified: date) -> Graph:
    """Return the monthly use: a Data Cube observation per procedure and month."""
    graph = _graph(site)
    vocabulary = site.vocabulary
    _describe_dataset(graph, site, "usage", modified)
    dataset = site.dataset("usage")
    graph.add((dataset, RDF.type, QB.DataSet))
    for record in records:
        month = tuple(int(part) for part in record["month"].split("-"))
        observation = site.observation(record["procedure_id"], month)
        graph.add((observation, RDF.type, QB.Observation))
        graph.add((observation, QB.dataSet, dataset))
        graph.add((observation, vocabulary.service, site.service(record["procedure_id"])))
        graph.add(
            (
                observation,
                SDMX_DIMENSION.refPeriod,
                Literal(record["month"], datatype=XSD.gYearMonth),
            )
        )
        for key, measure in (
            ("started", vocabulary.draftsStarted),
            ("submitted", vocabulary.submissions),
        ):
            if record[key] is None:
                graph.add((observation, vocabulary.suppressed, measure))
            else:
                graph.add((observation, measure, Literal(record[key], datatype=XSD.integer)))
    return graph


def _graph(site: Site) -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dcterms", DCTERMS)
    graph.bind("schema", SCHEMA)
    graph.bind("qb", QB)
    graph.bind("sdmx-dimension", SDMX_DIMENSION)
    graph.bind("usage", site.vocabulary)
    return graph


def serialise(graph: Graph, format_: str) -> bytes:
    """Return the graph as JSON-LD (`jsonld`) or Turtle (`ttl`), UTF-8."""
    text = graph.serialize(format="json-ld" if format_ == "jsonld" else "turtle")
    return text.encode("utf-8")
