"""A bounded HTTP fuzz of every form and query string, resident and back office, on SQLite and
PostgreSQL: no answer is a 5xx, no page echoes the marker unescaped, no redirect leaves the
site, and the CSV, JSON and emails made from what was posted stay inert.

What is fuzzed is read from the app, not listed: the forms and links of every page a resident
walking each procedure (markers in every answer that takes them) and a signed-in administrator
browsing the back office were shown, and every route of the URL map with hostile path values.
The test fails when a route of the app was never reached, so a new form is fuzzed or named.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter, defaultdict
from urllib.parse import quote, urlparse, urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, Submission
from portal.notify.mailer import build_message
from portal.rate_limits import STAND_INS
from tests.conftest import CheckedClient
from tests.staff.conftest import sign_in as staff_sign_in
from tests.support.fuzz import (
    FORMULA,
    MARKER,
    Form,
    harvest,
    hostile_queries,
    hostile_variants,
    query_names,
)
from tests.support.html_invariants import problems_in
from tests.support.identity import sign_in_with_card
from tests.support.journey import rendered_fields, valid_input
from tests.support.signing import sign

#: hostile requests per form and per query string
EACH = 20
#: at least this many hostile requests per database
MINIMUM = 2000
ADMIN = "admin@city.example"
#: routes that end the session they are sent in: fuzzed last
ENDING = {"staff.sign_out", "identity.sign_out"}
#: a GET that uses something up (a cancellation link): fuzzed, not crawled
DO_NOT_CRAWL = {"resident.cancel_link"}
#: what each route with path values gets in each of them
PATH_VALUES = ("x", "9" * 30, "2147483648", "-1", MARKER, "..%2f..", "%00", "%ED%A0%80", "a" * 300)


class RecordingClient(CheckedClient):
    """A checked test client that shows every page it receives to `listener`."""

    listener = None

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if self.listener is not None:
            self.listener(response)
        return response


class Fuzz:
    """Where to send what, learnt from the pages seen; what came back, counted."""

    def __init__(self, app):
        self.app = app
        self.urls = app.url_map.bind("localhost")
        self.forms: dict[tuple, tuple[Form, FlaskClient]] = {}
        self.links: dict[str, tuple[set[str], set[str]]] = {}  # endpoint → (paths, names)
        self.reached: set[str] = set()
        self.statuses: Counter[int] = Counter()
        self.requests = 0
        self.checked: set[tuple[str, int]] = set()
        self.done: set = set()
        self.posted: set[str | None] = set()
        self.skip: set[str] = set()
        self.tokens: dict[int, str] = {}
        self.keep_signed_in = None
        self.rng = random.Random(14)

    def unreached(self) -> list[str]:
        """Return the app's routes no request reached."""
        rules = self.app.url_map.iter_rules()
        return sorted({r.endpoint for r in rules if not _stand_in(r.endpoint)} - self.reached)

    def unposted(self) -> list[str]:
        """Return the routes taking POSTs of which no form was fuzzed."""
        rules = self.app.url_map.iter_rules()
        takes = {r.endpoint for r in rules if "POST" in r.methods and not _stand_in(r.endpoint)}
        return sorted(takes - self.posted)

    def everything_new(self, resident, staff=None, *, start: str) -> None:
        """Crawl from `start`, then fuzz every form, query string and route not fuzzed yet.

        Back-office routes go to `staff` (signed in), the others to `resident`.
        """
        self.crawl(staff if start.startswith("/staff") else resident, start)
        for rule in self.app.url_map.iter_rules():  # pages no link leads to: their bare URL
            if "GET" in rule.methods and not rule.arguments and not _stand_in(rule.endpoint):
                self.links.setdefault(rule.endpoint, ({rule.rule}, set()))

        def client_for(endpoint: str):
            return staff if staff is not None and endpoint.startswith("staff.") else resident

        for endpoint, (paths, names) in sorted(self.links.items()):
            if _stand_in(endpoint) or ("GET", endpoint) in self.done or endpoint in ENDING:
                continue
            self.done.add(("GET", endpoint))
            for query in hostile_queries(names, self.rng, EACH):
                self.send(client_for(endpoint), "GET", sorted(paths)[0], query=query)
        for rule in self.app.url_map.iter_rules():
            if not rule.arguments or _stand_in(rule.endpoint) or rule.rule in self.done:
                continue
            self.done.add(rule.rule)
            client = client_for(rule.endpoint)
            method = "GET" if "GET" in rule.methods else "POST"
            for value in PATH_VALUES:
                path = re.sub(r"<[^>]+>", lambda _, v=value: quote(v, safe="%"), rule.rule)
                self.send(client, method, path, body=[("csrf_token", self.token(client))])
        forms = [
            (form, client)
            for key, (form, client) in self.forms.items()
            if key not in self.done
            and form.path not in self.skip
            and not _stand_in(self.endpoint(form.method, form.path))
        ]
        forms.sort(key=lambda pair: self.endpoint(pair[0].method, pair[0].path) in ENDING)
        for form, client in forms:
            self.done.add(form.key())
            endpoint = self.endpoint(form.method, form.path)
            if form.method == "POST":
                self.posted.add(endpoint)
            query = [tuple(p.split("=", 1)) for p in form.query.split("&") if "=" in p]
            for body in hostile_variants(form, self.token(client), self.rng, EACH):
                if form.method == "GET":
                    self.send(client, "GET", form.path, query=body)
                else:
                    self.send(client, "POST", form.path, query=query, body=body)
            if staff is not None and client is staff and self.keep_signed_in is not None:
                self.keep_signed_in()
                self.tokens.pop(id(client), None)

    def token(self, client) -> str:
        if id(client) not in self.tokens:
            self.tokens[id(client)] = client.csrf_token("/status")
        return self.tokens[id(client)]

    def crawl(self, client, start_path: str, limit: int = 80) -> None:
        """Open the pages linked from `start_path`, breadth first, a few per route."""
        queue, seen = [start_path], set()
        while queue and len(seen) < limit:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            client.get(path)
            for endpoint, (paths, _names) in list(self.links.items()):
                if not _stand_in(endpoint) and endpoint not in DO_NOT_CRAWL:
                    queue.extend(p for p in sorted(paths) if p not in seen)

    def endpoint(self, method: str, path: str) -> str | None:
        try:
            return self.urls.match(path, method)[0]
        except Exception:
            return None

    def listen(self, client: FlaskClient):
        def learn(response) -> None:
            request = response.request
            endpoint = self.endpoint(request.method, request.path)
            if endpoint:
                self.reached.add(endpoint)
            if response.mimetype != "text/html" or response.status_code >= 300:
                return
            page = f"http://localhost{request.path}"
            forms, links = harvest(response.get_data(as_text=True), page)
            for form in forms:
                self.forms.setdefault(form.key(), (form, client))
            for link in links:
                path = link.split("?", 1)[0]
                target = self.endpoint("GET", path)
                if target:
                    paths, names = self.links.setdefault(target, (set(), set()))
                    if len(paths) < 3:
                        paths.add(path)
                    names |= query_names(link)

        client.listener = learn
        return client

    def send(self, client: FlaskClient, method: str, path: str, query=(), body=()):
        """Send one hostile request and check what comes back."""
        response = FlaskClient.open(  # not CheckedClient's: invariants once per kind, below
            client,
            path,
            method=method,
            query_string=_encoded(query),
            data=_encoded(body) if method == "POST" else None,
            content_type="application/x-www-form-urlencoded",
        )
        self.requests += 1
        self.statuses[response.status_code] += 1
        endpoint = self.endpoint(method, path) or "(no route)"
        self.reached.add(endpoint)
        where = f"{method} {path[:200]}?{_encoded(query)[:400]!r} {_encoded(body)[:400]!r}"
        assert response.status_code < 500, where
        location = response.headers.get("Location")
        if location:
            assert urlsplit(location).netloc in ("", "localhost"), f"{where} → {location}"
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            assert MARKER not in html, where
            if (endpoint, response.status_code) not in self.checked and response.status_code < 300:
                self.checked.add((endpoint, response.status_code))
                assert not problems_in(html), f"{where}: {problems_in(html)}"
        return response


def _encoded(pairs) -> str:
    # Lone surrogates go out as the bytes a hostile client would send (invalid UTF-8).
    return "&".join(
        f"{quote(name.encode('utf-8', 'surrogatepass'))}="
        f"{quote(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in pairs
    )


def _csrf(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _marked(value):
    return f"{FORMULA}{value}{MARKER}" if isinstance(value, str) and value else value


def walk_with_markers(client, procedure) -> None:
    """Walk `procedure` to its check page, the markers in every answer that takes them."""
    token = client.csrf_token(f"/procedures/{procedure.id}")
    response = client.post(f"/procedures/{procedure.id}/start", data={"csrf_token": token})
    path = urlparse(response.location).path
    if client.get(path).status_code == 302:  # a card sign-in first
        path = sign_in_with_card(client, path)
    while not path.endswith("/check"):
        page = procedure.page(path.rsplit("/", 1)[1])
        html = client.get(path).get_data(as_text=True)
        data = valid_input(rendered_fields(html, page.fields))
        marked = {name: _marked(value) for name, value in data.items()}
        response = client.post(path, data={"csrf_token": token, **data, **marked})
        if response.status_code == 200:  # some refused the markers: only those go without
            refused = re.findall(r'id="([^"]+)-error"', response.get_data(as_text=True))
            kept = {k: v for k, v in marked.items() if not any(k.startswith(r) for r in refused)}
            response = client.post(path, data={"csrf_token": token, **data, **kept})
        if response.status_code == 200:
            response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 302, f"{path}: {response.status_code}"
        path = urlparse(response.location).path
    assert client.get(path).status_code == 200


def submit_draft(client, procedure) -> None:
    """Submit what is left of the procedure's draft, if it can still be submitted."""
    path = f"/procedures/{procedure.id}/check"
    response = client.get(path)
    if response.status_code == 302 and "/sign-in" in response.location:
        sign_in_with_card(client, path)
        response = client.get(path)
    if response.status_code != 200:
        return
    token = client.csrf_token(path)
    response = client.post(path, data={"csrf_token": token})
    signing = response.status_code == 302 and response.location.endswith("/sign")
    if procedure.signature == "required" and signing:
        sign(client, procedure.id)
        client.post(path, data={"csrf_token": token})


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(
        RATELIMIT_ENABLED=False,  # thousands of requests from one address
        DEV_MAILBOX_DIR=str(tmp_path / "mailbox"),
        ENV_NAME="development",
    )
    app.test_client_class = RecordingClient
    return app


@pytest.fixture
def english_browser():
    """The back office's fixtures, but this test's browsers choose their own languages."""


def test_no_hostile_request_answers_5xx_or_echoes_markup(app, make_staff, capsys, database_url):
    fuzz = Fuzz(app)
    resident = fuzz.listen(app.test_client())
    _save_for_later_and_open_the_link(app, resident)
    for procedure in _open_procedures(app):
        walk_with_markers(resident, procedure)
    fuzz.everything_new(resident, start="/")
    for procedure in _open_procedures(app):  # walked again: the fuzz left drafts in pieces
        walk_with_markers(resident, procedure)
        submit_draft(resident, procedure)
    _look_up_each_submission(app, resident)

    make_staff(ADMIN, admin=True)
    make_staff("clerk@city.example")
    staff = fuzz.listen(app.test_client())
    staff.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert staff_sign_in(staff, ADMIN).status_code == 302
    fuzz.keep_signed_in = lambda: _signed_in(staff)
    fuzz.skip.add(f"/staff/accounts/{_admin_id(app)}")  # changing it may end this very session
    fuzz.everything_new(resident, staff, start="/staff/")

    _check_exports_and_emails(app, fuzz, staff)
    assert not fuzz.unreached(), f"never reached, so never fuzzed: {fuzz.unreached()}"
    assert not fuzz.unposted(), f"no form of these was seen to fuzz: {fuzz.unposted()}"
    assert fuzz.requests >= MINIMUM
    with capsys.disabled():
        kinds = ", ".join(f"{n:,} × {code}" for code, n in sorted(fuzz.statuses.items()))
        name = database_url.split(":", 1)[0].split("+")[0]
        print(
            f"\nhttp fuzz ({name}): {fuzz.requests:,} requests, {len(fuzz.done)} targets: {kinds}"
        )


def _save_for_later_and_open_the_link(app, resident) -> None:
    """Save a draft for later and open the emailed link, so that their forms are fuzzed too."""
    procedure = next(p for p in _open_procedures(app) if p.identity == "none")
    base = f"/procedures/{procedure.id}"
    token = resident.csrf_token(base)
    resident.post(f"{base}/start", data={"csrf_token": token})
    resident.post(f"{base}/save-from/{procedure.pages[0].id}", data={"csrf_token": token})
    resident.get(f"{base}/save-for-later")
    resident.post(f"{base}/save-for-later", data={"csrf_token": token, "email": "fuzz@example.jp"})
    resident.get(f"{base}/save-for-later/sent")
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc()))
        link = re.search(r"http://localhost(/resume\?link=\S+)", body.first()).group(1)
    assert resident.get(link).status_code == 200


def _signed_in(staff) -> None:
    if staff.get("/staff/").status_code != 200:  # a fuzzed form signed out, or switched off
        assert staff_sign_in(staff, ADMIN).status_code == 302


def _look_up_each_submission(app, resident) -> None:
    """Look each submission up (status, cancellation), so their result pages are seen too."""
    with app.app_context():
        found = db.session.execute(select(Submission.reference_number, Submission.email)).all()
    for reference, email in found:
        for path in ("/status", "/cancel"):
            token = resident.csrf_token(path)
            data = {"csrf_token": token, "reference_number": reference, "email": email or ""}
            response = resident.post(path, data=data)
            if response.status_code == 302:
                resident.get(response.location)


def _open_procedures(app):
    now = app.config["CLOCK"]()
    return [p for p in app.extensions["portal.procedures"].all() if p.window.state(now) == "open"]


def _stand_in(endpoint: str | None) -> bool:
    return endpoint is None or endpoint.partition(".")[0] in STAND_INS or endpoint == "static"


def _admin_id(app) -> int:
    from portal.staff.models import StaffMember

    with app.app_context():
        return db.session.scalar(select(StaffMember.id).where(StaffMember.email == ADMIN))


def _check_exports_and_emails(app, fuzz: Fuzz, staff) -> None:
    """What the markers became outside pages: escaped CSV cells, valid JSON, plain-text email."""
    token = _csrf(staff, "/staff/")
    reached_csv = False
    for procedure in app.extensions["portal.procedures"].all():
        for format_ in ("csv", "json"):
            path = f"/staff/procedures/{procedure.id}/export.{format_}"
            response = fuzz.send(staff, "POST", path, body=[("csrf_token", token)])
            assert response.status_code == 200, path
            text = response.get_data(as_text=True)
            if format_ == "json":
                json.loads(text)
                continue
            for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
                for cell in row:
                    assert not cell.startswith(FORMULA), f"{path}: {cell[:80]!r}"
                    reached_csv |= cell.startswith("'" + FORMULA)
    assert reached_csv, "the formula marker reached no CSV: the test lost its teeth"
    with app.app_context():
        answers = [s.answers for s in db.session.scalars(select(Submission))]
        assert any(MARKER in json.dumps(a, ensure_ascii=False) for a in answers)
        for message in db.session.scalars(select(OutboxMessage)):
            email = build_message(message, "no-reply@city.yokohama.example")
            assert email.get_content_type() == "text/plain" and not email.is_multipart()
            assert "&lt;x-marker" not in email.get_content(), "plain text escaped as HTML"
    # The back office shows what was posted, escaped.
    shown = defaultdict(int)
    for endpoint in ("staff.submissions", "staff.submission", "staff.audit_trail"):
        for path in sorted(fuzz.links.get(endpoint, (set(), set()))[0]):
            html = staff.get(path).get_data(as_text=True)
            shown[endpoint] += html.count("&lt;x-marker&gt;")
    assert shown["staff.submission"], "no submission page showed the marker (escaped)"
