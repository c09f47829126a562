"""The open data: valid CSV, JSON and RDF, described with DCAT and schema.org, small counts hidden."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.indicators.conftest import Resident

SCHEMA = Namespace("https://schema.org/")
QB = Namespace("http://purl.org/linked-data/cube#")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
BASE = "http://localhost"
#: rdflib's own JSON-LD parser builds a ConjunctiveGraph, which rdflib 7 deprecates
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url  # what is published does not depend on the database


def _graph(client, path: str, format_: str) -> Graph:
    response = client.get(path)
    assert response.status_code == 200
    return Graph().parse(data=response.get_data(as_text=True), format=format_)


@pytest.fixture
def used(app, clock):
    """12 submissions of the survey in November, 3 drafts of the meetup."""
    clock.set(2026, 11, 10, 12, 0)
    for _ in range(12):
        Resident(app).walk(submit=True)
    for _ in range(3):
        Resident(app).start("meetup")
    clock.set(2026, 12, 2, 12, 0)
    return app


@pytest.mark.parametrize("format_", ["json-ld", "turtle"])
def test_the_catalog_is_a_dcat_dataset_of_schema_org_government_services(used, format_):
    client = used.test_client()
    path = "/open-data/procedures." + ("jsonld" if format_ == "json-ld" else "ttl")
    graph = _graph(client, path, format_)
    dataset = URIRef(f"{BASE}/open-data/procedures")
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert (dataset, DCTERMS.license, CC_BY) in graph
    assert graph.value(dataset, DCTERMS.modified) is not None
    downloads = {str(d) for d in graph.objects(dataset, DCAT.distribution)}
    assert downloads == {
        f"{BASE}/open-data/procedures.{f}" for f in ("csv", "json", "jsonld", "ttl")
    }
    service = URIRef(f"{BASE}/open-data/id/procedure/survey")
    assert (service, RDF.type, SCHEMA.GovernmentService) in graph
    assert set(graph.objects(service, SCHEMA.name)) == {
        Literal("テスト調査", lang="ja"),
        Literal("Test survey", lang="en"),
    }
    assert (service, SCHEMA.url, URIRef(f"{BASE}/procedures/survey")) in graph
    provider = graph.value(service, SCHEMA.provider)
    assert graph.value(provider, SCHEMA.name) == Literal("テスト課", lang="ja")
    assert len(set(graph.subjects(RDF.type, SCHEMA.GovernmentService))) == 2


def test_monthly_use_hides_counts_from_one_to_nine(used):
    client = used.test_client()
    graph = _graph(client, "/open-data/usage.ttl", "turtle")
    vocabulary = Namespace(f"{BASE}/open-data/def#")
    survey = URIRef(f"{BASE}/open-data/id/usage/survey/2026-11")
    meetup = URIRef(f"{BASE}/open-data/id/usage/meetup/2026-11")
    assert (survey, RDF.type, QB.Observation) in graph
    assert graph.value(survey, vocabulary.submissions).toPython() == 12
    assert graph.value(survey, vocabulary.draftsStarted).toPython() == 12
    assert graph.value(meetup, vocabulary.draftsStarted) is None  # 3: suppressed
    assert (meetup, vocabulary.suppressed, vocabulary.draftsStarted) in graph
    assert graph.value(meetup, vocabulary.submissions).toPython() == 0
    assert (URIRef(f"{BASE}/open-data/usage"), DCTERMS.license, CC_BY) in graph
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/open-data/usage.csv").get_data().decode("utf-8-sig"))
        )
    )
    by_key = {(r["procedure_id"], r["month"]): r for r in rows}
    assert by_key[("survey", "2026-11")]["submitted"] == "12"
    assert by_key[("meetup", "2026-11")]["started"] == ""
    document = json.loads(client.get("/open-data/usage.json").get_data())
    assert document["license"] == str(CC_BY) and document["suppressed_below"] == 10
    meetups = [r for r in document["records"] if r["procedure_id"] == "meetup"]
    assert {r["started"] for r in meetups} <= {None, 0}
    assert all(r["started"] is None or not 0 < r["started"] < 10 for r in document["records"])


def test_the_catalog_csv_opens_in_excel_and_the_json_has_every_language(used):
    client = used.test_client()
    body = client.get("/open-data/procedures.csv").get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    survey = next(r for r in rows if r["id"] == "survey")
    assert (survey["title_ja"], survey["title_en"], survey["identity"]) == (
        "テスト調査",
        "Test survey",
        "none",
    )
    assert survey["url"] == f"{BASE}/procedures/survey"
    document = json.loads(client.get("/open-data/procedures.json").get_data())
    assert document["license_name"] == "CC BY 4.0"
    assert {r["id"] for r in document["records"]} == {"survey", "meetup"}


def test_the_open_data_page_lists_each_dataset_with_its_licence_date_and_files(used):
    html = used.test_client().get("/open-data/?lang=en").get_data(as_text=True)
    assert html.count("creativecommons.org/licenses/by/4.0/") == 2
    for name in ("procedures", "usage"):
        for format_ in ("csv", "json", "jsonld", "ttl"):
            assert f"/open-data/{name}.{format_}" in html
    assert "November 10, 2026" in html  # the last day anything was counted
    assert used.test_client().get("/open-data/other.csv").status_code == 404


def test_the_plan_indicators_count_procedures_strict_id_and_use_per_fiscal_year(used, clock):
    html = used.test_client().get("/indicators?lang=en").get_data(as_text=True)
    assert "April 1, 2026 to March 31, 2027" in html and "April 1, 2025 to March 31, 2026" in html
    assert ">2<" in html  # procedures online
    assert ">12<" in html and "100.0%" in html


@pytest.mark.parametrize(
    ("file", "content_type"),
    [
        ("procedures.csv", "text/csv; charset=utf-8"),
        ("usage.csv", "text/csv; charset=utf-8"),
        ("procedures.ttl", "text/turtle; charset=utf-8"),
    ],
)
def test_each_open_data_file_names_its_type_and_charset_once(used, file, content_type):
    response = used.test_client().get(f"/open-data/{file}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
