"""Choosing the resident's language and showing staff-written texts in it."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request, session
from flask_babel import get_locale
from markupsafe import Markup, escape

from portal.locales import BY_CODE, DEFAULT, html_lang
from portal.procedure.text import localize


def enabled_locales() -> list[str]:
    """Return the locale codes this portal offers."""
    from flask import current_app

    return [code for code in current_app.config["PORTAL_LOCALES"] if code in BY_CODE]


def select_locale() -> str:
    """Pick the locale: ?lang= (kept for the visit), then the visit's choice, then the browser's."""
    enabled = enabled_locales()
    asked = request.args.get("lang")
    if asked in enabled:
        session["lang"] = asked
        return asked
    if session.get("lang") in enabled:
        return session["lang"]
    browser = request.accept_languages.best_match([code.replace("_", "-") for code in enabled])
    return browser.replace("-", "_") if browser else DEFAULT


def current_locale() -> str:
    """Return the locale code of this request."""
    return str(get_locale())


def text(value: dict[str, str] | None) -> Markup:
    """Render a staff-written text in the current locale, marked with its own lang if it falls back."""
    if not value:
        return Markup("")
    locale = current_locale()
    picked = localize(value, locale)
    if html_lang(picked.locale) != html_lang(locale):
        return Markup('<span lang="{}">{}</span>').format(html_lang(picked.locale), picked.text)
    return escape(picked.text)


def plain_text(value: dict[str, str] | None) -> str:
    """Return a staff-written text in the current locale, without markup (for titles)."""
    return localize(value, current_locale()).text if value else ""


def language_links() -> list[dict[str, str]]:
    """Return the language switcher's links: this page, in each other language."""
    args = {key: value for key, value in request.args.items() if key != "lang"}
    links = []
    for code in enabled_locales():
        query = urlencode({**args, "lang": code})
        language = BY_CODE[code]
        links.append({"code": code, "lang": language.html_lang, "name": language.name,
                      "href": f"{request.path}?{query}", "current": code == current_locale()})
    return links


def init_app(app: Flask) -> None:
    app.jinja_env.filters["t"] = text
    app.jinja_env.filters["plain"] = plain_text

    @app.context_processor
    def _locale_context() -> dict:
        locale = current_locale()
        return {"html_lang": html_lang(locale), "locale": locale, "language_links": language_links}
