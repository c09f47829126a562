"""What a question page costs: the portal's against a hand-written Flask + Flask-WTF page.

The bulky-waste sample's first question page (4 questions, labels, hints, CSRF), GET and a
valid POST, in Japanese and in English, against a hand-written page with the same fields and
markup (one FlaskForm class written once, one template), and a bare Flask route. Rounds
alternate between the three, so noise from other jobs falls on all of them alike.

In-process (Werkzeug test client; CPU ms per request, the best round: other jobs on the
machine stretch wall time but hardly CPU time) and, with --http, over real HTTP under
gunicorn (2 sync workers each, the same settings; requests per second).
Run: .venv/bin/python benchmarks/page_cost.py [--rounds 5] [--requests 200] [--http]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from flask import Flask, redirect, render_template, request, session
from flask_wtf import FlaskForm
from jinja2 import DictLoader
from wtforms import EmailField, StringField, TelField
from wtforms.validators import DataRequired, Length, Regexp

ROOT = Path(__file__).resolve().parents[1]
PROCEDURE = "bulky-waste"
PAGE = f"/procedures/{PROCEDURE}/applicant"
ANSWERS = {"name": "横浜 花子", "name_kana": "ヨコハマ ハナコ", "tel": "045-671-2121"}
ANSWERS["email"] = "hanako@example.jp"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

# --- the hand-written page --------------------------------------------------------------------

TEXTS = {
    "ja": {
        "title": "申込者の情報",
        "procedure": "粗大ごみ収集の申込",
        "name": "お名前",
        "name_kana": "お名前（フリガナ）",
        "name_kana_hint": "ひらがなでも入力できます。",
        "tel": "電話番号",
        "tel_hint": "収集の当日に連絡がとれる番号を入力してください。",
        "email": "メールアドレス",
        "email_hint": "収集日と手数料の額をお知らせします。",
        "continue": "保存して次へ進む",
    },
    "en": {
        "title": "Your details",
        "procedure": "Book a bulky waste collection",
        "name": "Full name",
        "name_kana": "Full name in kana (furigana)",
        "name_kana_hint": "You can type it in hiragana.",
        "tel": "Phone number",
        "tel_hint": "A number we can reach you on during the collection day.",
        "email": "Email address",
        "email_hint": "We will email you the collection date and the fee.",
        "continue": "Save and continue",
    },
}

HANDWRITTEN = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t.title }} (1/5) - {{ t.procedure }}</title>
<link rel="stylesheet" href="/static/portal.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><div class="width-container site-header__inner">
<a class="site-header__name" href="/">Yokohama</a>
<nav class="language-switcher" aria-label="Language"><ul>
{% for code, name in languages %}<li><a href="{{ request.path }}?lang={{ code }}" lang="{{ code }}" hreflang="{{ code }}"{% if code == lang %} aria-current="true"{% endif %}>{{ name }}</a></li>
{% endfor %}</ul></nav></div></header>
<div class="width-container"><a class="back-link" href="/">Back</a>
<main id="main" tabindex="-1">
<p class="caption">{{ t.procedure }}</p>
<h1>{{ t.title }} <span class="progress">(1/5)</span></h1>
<form method="post" novalidate>
<input type="hidden" name="csrf_token" value="{{ form.csrf_token.current_token }}">
{% for field in form if field.name != "csrf_token" %}
<div class="form-group{% if field.errors %} form-group--error{% endif %}">
  <label class="label" for="{{ field.id }}">{{ t[field.name] }}</label>
  {% if t[field.name ~ "_hint"] %}<div id="{{ field.id }}-hint" class="hint">{{ t[field.name ~ "_hint"] }}</div>{% endif %}
  {% if field.errors %}<p id="{{ field.id }}-error" class="error-message">{{ field.errors[0] }}</p>{% endif %}
  <input class="input" id="{{ field.id }}" name="{{ field.name }}" type="{{ field.widget.input_type }}" value="{{ field._value() }}"{% if t[field.name ~ "_hint"] %} aria-describedby="{{ field.id }}-hint"{% endif %}>
</div>
{% endfor %}
<button class="button" type="submit" name="action" value="continue">{{ t.continue }}</button>
</form></main></div>
<footer class="site-footer"><p>City of Yokohama</p></footer>
</body>
</html>
"""

LANGUAGES = [("ja", "日本語"), ("en", "English"), ("ko", "한국어"), ("es", "Español")] * 3


class ApplicantForm(FlaskForm):
    name = StringField(validators=[DataRequired(), Length(max=60)])
    name_kana = StringField(validators=[DataRequired(), Length(max=60)])
    tel = TelField(validators=[DataRequired(), Regexp(r"^[0-9０-９\-－]{10,13}$")])
    email = EmailField(validators=[DataRequired(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")])


def handwritten_app() -> Flask:
    """Return the hand-written page: what the portal's page would cost written by hand."""
    app = Flask(__name__, static_folder=str(ROOT / "portal" / "static"))
    app.config.update(SECRET_KEY="bench", WTF_CSRF_TIME_LIMIT=None)
    app.jinja_loader = DictLoader({"applicant.html": HANDWRITTEN})  # compiled once, cached

    @app.route(PAGE, methods=["GET", "POST"])
    def applicant():
        if request.args.get("lang") in TEXTS:
            session["lang"] = request.args["lang"]
        lang = session.get("lang", "ja")
        form = ApplicantForm(data=session.get("answers", {}))
        if form.validate_on_submit():
            session["answers"] = {key: form[key].data for key in ANSWERS}
            return redirect(f"/procedures/{PROCEDURE}/collection")
        return render_template(
            "applicant.html", form=form, t=TEXTS[lang], lang=lang, languages=LANGUAGES
        )

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app


def bare_app() -> Flask:
    """Return a Flask app whose one route does nothing: the floor."""
    app = Flask(__name__)

    @app.route(PAGE, methods=["GET", "POST"])
    def applicant():
        return "ok" if request.method == "GET" else redirect("/next")

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app


# --- in-process -------------------------------------------------------------------------------


def portal_app(database_url: str):
    from alembic import command

    from portal import create_app
    from portal.cli import alembic_config

    command.upgrade(alembic_config(database_url), "heads")
    return create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": database_url,
            "SESSION_COOKIE_SECURE": False,
            "PROCEDURES_DIR": str(ROOT / "procedures"),
            "RATELIMIT_ENABLED": False,  # thousands of POSTs from one test client
        }
    )


def _client_on_page(app, lang: str, starts: bool):
    client = app.test_client()
    if starts:
        page = client.get(f"/procedures/{PROCEDURE}").get_data(as_text=True)
        token = CSRF.search(page).group(1)
        assert (
            client.post(f"/procedures/{PROCEDURE}/start", data={"csrf_token": token}).status_code
            == 302
        )
    page = client.get(f"{PAGE}?lang={lang}")
    assert page.status_code == 200, page.status_code
    match = CSRF.search(page.get_data(as_text=True))
    return client, match.group(1) if match else ""


def in_process(rounds: int, requests: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        apps = {
            "portal": (portal_app(f"sqlite:///{folder}/bench.db"), True),
            "handwritten": (handwritten_app(), False),
            "bare": (bare_app(), False),
        }
        for lang in ("ja", "en"):
            clients = {
                name: _client_on_page(app, lang, starts) for name, (app, starts) in apps.items()
            }
            timings: dict[tuple[str, str], list[float]] = {}
            for _ in range(rounds):
                for name, (client, token) in clients.items():
                    started = time.process_time()
                    for _ in range(requests):
                        response = client.get(PAGE)
                    assert response.status_code == 200
                    timings.setdefault((name, "GET"), []).append(
                        (time.process_time() - started) / requests * 1000
                    )
                    started = time.process_time()
                    for _ in range(requests):
                        response = client.post(PAGE, data={"csrf_token": token, **ANSWERS})
                    assert response.status_code == 302, (name, response.status_code)
                    timings.setdefault((name, "POST"), []).append(
                        (time.process_time() - started) / requests * 1000
                    )
            _report_ms(lang, timings)


def _report_ms(lang: str, timings: dict[tuple[str, str], list[float]]) -> None:
    for method in ("GET", "POST"):
        ms = {name: min(timings[(name, method)]) for name in ("portal", "handwritten", "bare")}
        print(
            f"in-process {lang} {method:<4} cpu portal={ms['portal']:.2f}ms "
            f"handwritten={ms['handwritten']:.2f}ms bare={ms['bare']:.2f}ms "
            f"portal/handwritten speed={ms['handwritten'] / ms['portal']:.2f}x"
        )


# --- over HTTP --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser(base: str, lang: str, starts: bool):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
    )

    def call(path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with opener.open(base + path, body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    if starts:
        token = CSRF.search(call(f"/procedures/{PROCEDURE}")[1]).group(1)
        call(f"/procedures/{PROCEDURE}/start", {"csrf_token": token})
    status, page = call(f"{PAGE}?lang={lang}")
    assert status == 200, status
    return call, CSRF.search(page).group(1) if CSRF.search(page) else ""


def _serve(target: str, env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
        + ["--log-level", "warning", "--pythonpath", f"{ROOT},{ROOT / 'benchmarks'}", target],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{target} did not start")


def _rate(browsers, method: str, seconds: float) -> float:
    done = [0] * len(browsers)
    stop = time.perf_counter() + seconds

    def work(i: int) -> None:
        call, token = browsers[i]
        while time.perf_counter() < stop:
            if method == "GET":
                status, _ = call(PAGE)
                assert status == 200, status
            else:
                status, _ = call(PAGE, {"csrf_token": token, **ANSWERS})
                assert status == 302, status
            done[i] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def over_http(rounds: int, seconds: float, concurrency: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PORTAL_DATABASE_URL": url,
            "PORTAL_SECRET_KEY": uuid.uuid4().hex,
            "PORTAL_SECURE_COOKIES": "0",
            "PORTAL_ENV": "production",
            # Every simulated resident posts from 127.0.0.1: one address, no per-address limit.
            "PORTAL_RATE_LIMIT_FORMS": "",
            "PORTAL_PROCEDURES_DIR": str(ROOT / "procedures"),
        }
        from alembic import command

        from portal.cli import alembic_config

        command.upgrade(alembic_config(url), "heads")
        servers = {
            "portal": (_serve("portal.wsgi:app", env, workers), True),
            "handwritten": (_serve("page_cost:handwritten_app()", env, workers), False),
            "bare": (_serve("page_cost:bare_app()", env, workers), False),
        }
        try:
            for lang in ("ja", "en"):
                browsers = {
                    name: [_browser(base, lang, starts) for _ in range(concurrency)]
                    for name, ((_, base), starts) in servers.items()
                }
                rates: dict[tuple[str, str], list[float]] = {}
                for _ in range(rounds):
                    for name in servers:
                        for method in ("GET", "POST"):
                            rates.setdefault((name, method), []).append(
                                _rate(browsers[name], method, seconds)
                            )
                for method in ("GET", "POST"):
                    rps = {name: statistics.median(rates[(name, method)]) for name in servers}
                    print(
                        f"http {lang} {method:<4} portal={rps['portal']:.0f}/s "
                        f"handwritten={rps['handwritten']:.0f}/s bare={rps['bare']:.0f}/s "
                        f"portal/handwritten={rps['portal'] / rps['handwritten']:.2f}x"
                    )
        finally:
            for (server, _), _ in servers.values():
                server.terminate()
                server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="per round, in-process")
    parser.add_argument("--http", action="store_true", help="also over HTTP under gunicorn")
    parser.add_argument("--seconds", type=float, default=3.0, help="per round, over HTTP")
    parser.add_argument("--concurrency", type=int, default=4, help="browsers in flight, HTTP")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    logging_quiet()
    in_process(args.rounds, args.requests)
    if args.http:
        over_http(args.rounds, args.seconds, args.concurrency, args.workers)


def logging_quiet() -> None:
    import logging

    logging.disable(logging.INFO)


if __name__ == "__main__":
    main()
