"""The usage dashboard shows what residents did: its numbers are a recount of their journeys."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter

import pytest

from tests.indicators.conftest import SURVEY_PAGES, Resident, staff_client

MONTHS = ((2025, 10), (2026, 3), (2026, 11))


def _table(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode()), "Excel needs the BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def _walk_randomly(app, clock, rng: random.Random) -> list[dict]:
    """Let residents walk, stop and err at random; return what each did (the raw events)."""
    made = []
    for _resident in range(24):
        year, month = rng.choice(MONTHS)
        clock.set(year, month, rng.randint(1, 28), 12, 0)
        locale = rng.choice(("ja", "en"))
        stop = rng.choice(("about", "contact", "details", "check", "submitted"))
        erred: list[str] = []
        resident = Resident(app, locale)
        resident.start()
        reached = []
        for page_id, answers in SURVEY_PAGES:
            resident.see(page_id)
            reached.append(page_id)
            if page_id == stop:
                break
            if rng.random() < 0.3:
                question = next(iter(answers))
                assert resident.answer(page_id, {question: ""}) == 200
                erred.append(question)
            assert resident.answer(page_id, answers) == 302
        if stop in ("check", "submitted"):
            assert resident.client.get("/procedures/survey/check").status_code == 200
        if stop == "submitted":
            assert resident.submit().status_code == 302
        made.append(
            {
                "month": f"{year:04d}-{month:02d}",
                "locale": locale,
                "stop": stop,
                "reached": reached,
                "errors": erred,
            }
        )
    return made


@pytest.mark.parametrize("locale", [None, "en"])
def test_the_dashboard_tables_are_a_recount_of_the_journeys_made(app, clock, make_staff, locale):
    made = _walk_randomly(app, clock, random.Random(18))
    clock.set(2026, 12, 5, 12, 0)
    client = staff_client(app, make_staff, admin=True)
    wanted = [j for j in made if locale is None or j["locale"] == locale]
    query = f"?start=2025-10-01&end=2026-12-05{'&lang=' + locale if locale else ''}"
    base = "/staff/procedures/survey/usage"
    funnel = {row[0]: int(row[1]) for row in _table(client.get(f"{base}/funnel.csv{query}"))[1:]}
    ended = Counter(j["stop"] for j in wanted)
    reached = Counter(page for j in wanted for page in j["reached"])
    assert funnel == {
        "Drafts started": len(wanted),
        "Page: あなたについて": reached["about"],
        "Page: 連絡先": reached["contact"],
        "Page: 詳細": reached["details"],
        "Check your answers": ended["check"] + ended["submitted"],
        "Applications submitted": ended["submitted"],
    }
    errors = {row[0]: int(row[1]) for row in _table(client.get(f"{base}/errors.csv{query}"))[1:]}
    labels = {"name": "お名前", "email": "メールアドレス", "party": "人数"}
    recount = Counter(labels[q] for j in wanted for q in j["errors"])
    assert errors == dict(recount) and recount  # the seed makes some errors
    monthly = _table(client.get(f"{base}/monthly.csv{query}"))
    assert len(monthly) == 1 + 14 and monthly[-1][0] == "2026-12" and monthly[1][0] == "2025-11"
    by_month = {row[0]: (int(row[1]), int(row[2])) for row in monthly[1:]}
    for month in ("2026-03", "2026-11"):
        in_month = [j for j in wanted if j["month"] == month]
        submitted = sum(1 for j in in_month if j["stop"] == "submitted")
        assert by_month[month] == (len(in_month), submitted)
    page = client.get(f"{base}{query}").get_data(as_text=True)
    assert f">{len(wanted)}<" in page  # the figure above the charts
    assert page.count('class="chart"') == 3 and page.count("<table") == 3
    for name in ("funnel", "errors", "monthly"):
        assert f"/staff/procedures/survey/usage/{name}.csv" in page


def test_the_overview_counts_every_procedure_and_adds_them_up_by_month(app, clock, make_staff):
    clock.set(2026, 11, 10, 12, 0)
    for _ in range(2):
        Resident(app).walk(submit=True)
    Resident(app).walk(pages=0)
    clock.set(2026, 12, 1, 12, 0)
    client = staff_client(app, make_staff, admin=True)
    rows = {row[0]: row[1:] for row in _table(client.get("/staff/usage/procedures.csv"))[1:]}
    assert rows["Test survey"][:3] == ["3", "2", "66.7"]
    assert rows["Test meetup"][:3] == ["0", "0", ""]
    monthly = {row[0]: row[1:3] for row in _table(client.get("/staff/usage/monthly.csv"))[1:]}
    assert monthly["2026-11"] == ["3", "2"] and monthly["2026-12"] == ["0", "0"]
    html = client.get("/staff/usage").get_data(as_text=True)
    assert "/staff/procedures/survey/usage" in html
    csv_type = client.get("/staff/usage/monthly.csv").headers["Content-Type"]
    assert csv_type == "text/csv; charset=utf-8"


def test_staff_see_the_usage_of_their_own_procedures_only(app, make_staff):
    Resident(app).walk(submit=True)
    client = staff_client(app, make_staff, "clerk@city.example", roles={"meetup": "viewer"})
    assert client.get("/staff/procedures/survey/usage").status_code == 403
    assert client.get("/staff/procedures/survey/usage/funnel.csv").status_code == 403
    assert client.get("/staff/procedures/meetup/usage").status_code == 200
    rows = _table(client.get("/staff/usage/procedures.csv"))
    assert [row[0] for row in rows[1:]] == ["Test meetup"]
    assert "Test survey" not in client.get("/staff/usage").get_data(as_text=True)


def test_the_dashboard_needs_a_sign_in(app):
    response = app.test_client().get("/staff/procedures/survey/usage")
    assert response.status_code == 302 and "/staff/sign-in" in response.location


def test_a_wrong_filter_is_explained_and_the_last_fourteen_months_are_shown(app, make_staff):
    client = staff_client(app, make_staff, admin=True)
    response = client.get("/staff/procedures/survey/usage?start=2026-13-40&end=2026-01-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and "Enter a date like 2026-04-01" in html
    unknown = client.get("/staff/procedures/survey/usage?lang=xx").get_data(as_text=True)
    assert "There is a problem" in unknown
    assert client.get("/staff/procedures/survey/usage/nothing.csv").status_code == 404


def test_a_csv_cell_that_looks_like_a_formula_is_not_run(app, make_staff):
    from portal.indicators.tables import Table, to_csv

    table = Table("t", "t", ["=SUM(A1)"], rows=[["+1", 3]])
    assert to_csv(table).decode("utf-8-sig").splitlines() == ["'=SUM(A1)", "'+1,3"]


def test_an_events_usage_shows_its_waiting_list_places_and_cancellations(app, make_staff):
    for number in range(2):
        resident = Resident(app)
        resident.start("meetup")
        resident.see("you", "meetup")
        resident.answer("you", {"email": f"r{number}@example.jp"}, "meetup")
        assert resident.submit("meetup", accept_waitlist="1").status_code == 302
    client = staff_client(app, make_staff, admin=True)
    html = client.get("/staff/procedures/meetup/usage").get_data(as_text=True)
    waitlisted = html.split("Put on the waiting list</dt><dd>", 1)[1].split("<", 1)[0]
    assert waitlisted == "1"
    assert "Bookings cancelled" in html
    assert "Put on the waiting list" not in client.get("/staff/procedures/survey/usage").get_data(
        as_text=True
    )
