"""Every language: the right lang attribute, the journey works, fallbacks are marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.locales import LANGUAGES, html_lang
from tests.support.journey import walk

ALL = [language.code for language in LANGUAGES]
HERE = Path(__file__).parent / "procedures"


@pytest.fixture
def database_url(sqlite_url):
    """Run on SQLite alone: languages are a matter of rendering, not of storage."""
    return sqlite_url


@pytest.fixture
def app(make_app):
    return make_app(PORTAL_LOCALES=ALL)


@pytest.mark.parametrize("code", ALL)
def test_every_procedure_can_be_completed_in_every_language(app, code):
    client = app.test_client()
    assert f'<html lang="{html_lang(code)}">' in client.get(f"/?lang={code}").get_data(as_text=True)
    for procedure in app.extensions["portal.procedures"].all():
        if procedure.identity != "none" or procedure.window.state(app.config["CLOCK"]()) != "open":
            continue
        walk(client, procedure)
        html = client.get("/status").get_data(as_text=True)
        assert f'<html lang="{html_lang(code)}">' in html


def test_language_switcher_names_each_language_in_itself_with_its_lang(app):
    html = app.test_client().get("/").get_data(as_text=True)
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    for language in LANGUAGES:
        assert f'lang="{language.html_lang}" hreflang="{language.html_lang}"' in switcher
        assert f">{language.name}</a>" in switcher


def test_browser_language_is_used_until_the_resident_chooses(app):
    client = app.test_client()
    html = client.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9"}).get_data(as_text=True)
    assert '<html lang="pt-BR">' in html
    client.get("/?lang=vi")
    html = client.get("/", headers={"Accept-Language": "pt-BR"}).get_data(as_text=True)
    assert '<html lang="vi">' in html


def test_a_text_missing_in_the_chosen_language_is_shown_with_its_own_lang(make_app):
    app = make_app(PROCEDURES_DIR=str(HERE), PORTAL_LOCALES=ALL)
    html = app.test_client().get("/procedures/conditional?lang=vi").get_data(as_text=True)
    assert re.search(r'<h1><span lang="en">Conditions test</span></h1>', html)
    assert 'role="note"' in html  # the notice that part of it is in another language


def test_furigana_is_rendered_as_ruby_and_never_as_raw_html(app):
    with app.test_request_context("/?lang=ja_easy"):
        from portal.i18n import furigana, plain_furigana

        assert str(furigana("{受付|うけつけ}<script>")) == (
            "<ruby>受付<rp>（</rp><rt>うけつけ</rt><rp>）</rp></ruby>&lt;script&gt;"
        )
        assert plain_furigana("{受付|うけつけ}番号") == "受付（うけつけ）番号"
