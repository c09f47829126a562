"""The resident's language: choosing it, loading its catalogue, showing staff texts in it.

Our locale codes (ja_easy, zh_Hans, tl, …) name the catalogues in translations/.
Babel only knows CLDR locales, so it is given the nearest one for formatting dates and
numbers (ja for やさしい日本語, fil for Tagalog), while catalogues are loaded by our code.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from babel import support
from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_babel import Domain, force_locale, format_date, format_time, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from portal.language_of_parts import mark_japanese
from portal.locales import BY_CODE, DEFAULT, babel_locale, html_lang
from portal.procedure.compiled import once_per
from portal.procedure.model import Procedure
from portal.procedure.text import FURIGANA, localize, without_ruby

#: Accept-Language tags that name one of our languages differently
BROWSER_ALIASES = {
    "zh-cn": "zh_Hans",
    "zh-sg": "zh_Hans",
    "zh-hans": "zh_Hans",
    "zh": "zh_Hans",
    "zh-tw": "zh_Hant",
    "zh-hk": "zh_Hant",
    "zh-mo": "zh_Hant",
    "zh-hant": "zh_Hant",
    "pt": "pt_BR",
    "pt-br": "pt_BR",
    "fil": "tl",
}
#: furigana in catalogues and YAML texts: {漢字|かんじ}


def enabled_locales() -> list[str]:
    """Return the locale codes this portal offers."""
    return [code for code in current_app.config["PORTAL_LOCALES"] if code in BY_CODE]


def _choose_locale() -> str:
    enabled = enabled_locales()
    asked = request.args.get("lang")
    if asked in enabled:
        session["lang"] = asked
        return asked
    if session.get("lang") in enabled:
        return session["lang"]
    for tag, _quality in request.accept_languages:
        tag = tag.lower()
        for candidate in (tag, tag.split("-")[0]):
            code = BROWSER_ALIASES.get(candidate) or next(
                (c for c in enabled if c.lower().replace("_", "-") == candidate), None
            )
            if code in enabled:
                return code
    return DEFAULT


def current_locale() -> str:
    """Return the locale code of this request (or of the email being written)."""
    code = g.get("portal_locale")
    if code is None:
        code = g.portal_locale = _choose_locale() if has_request_context() else DEFAULT
    return code


def select_locale() -> str:
    """Give Flask-Babel the CLDR locale for formatting dates and numbers."""
    return babel_locale(current_locale())


@contextmanager
def use_locale(code: str) -> Iterator[None]:
    """Render in `code` for a while (emails go out in the language the resident used)."""
    previous = g.get("portal_locale")
    g.portal_locale = code
    try:
        with force_locale(babel_locale(code)):
            yield
    finally:
        g.portal_locale = previous if previous is not None else DEFAULT


class PortalDomain(Domain):
    """Loads the catalogue named by our locale code, not by Babel's locale."""

    def get_translations(self):
        if not has_request_context() and "portal_locale" not in g:
            return support.NullTranslations()
        code = current_locale()
        key = (code, "messages")
        if key not in self.cache:
            path = (
                Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
                / code
                / "LC_MESSAGES"
                / "messages.mo"
            )
            if path.exists():
                with path.open("rb") as catalogue:
                    self.cache[key] = support.Translations(catalogue)
            else:
                self.cache[key] = support.NullTranslations()
        return self.cache[key]

    # Python's strings (form errors, flashed messages, emails, exports) are plain text: the
    # catalogues' furigana reads 漢字（かんじ） there; templates show it as <ruby> (below).
    def gettext(self, string, **variables):
        s = without_ruby(self.get_translations().ugettext(string))
        return s % variables if variables else s

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return without_ruby(self.get_translations().ungettext(singular, plural, num)) % variables

    def pgettext(self, context, string, **variables):
        s = without_ruby(self.get_translations().upgettext(context, string))
        return s % variables if variables else s

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        translated = self.get_translations().unpgettext(context, singular, plural, num)
        return without_ruby(translated) % variables


def _catalogue_text(eval_ctx: EvalContext, text: str) -> str:
    """Return a catalogue's text for a template: furigana as <ruby> in HTML (the text is
    escaped first; the placeholders' values are escaped by Jinja and never read as furigana),
    as 漢字（かんじ） in a plain-text template (an email)."""
    return furigana(text) if eval_ctx.autoescape else without_ruby(text)


#: (catalogue, HTML or not, msgid) → what a template shows for it: a loaded catalogue does
#: not change while the portal runs, and every page asks for a dozen of its strings
_shown: dict[tuple[int, bool, str], str] = {}


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str) -> str:
    translations = get_translations()
    if not isinstance(translations, support.Translations):  # no catalogue: made per call
        return _catalogue_text(eval_ctx, translations.ugettext(string))
    key = (id(translations), eval_ctx.autoescape, string)  # PortalDomain keeps each for good
    shown = _shown.get(key)
    if shown is None:
        shown = _shown[key] = _catalogue_text(eval_ctx, translations.ugettext(string))
    return shown


@pass_eval_context
def _template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int) -> str:
    return _catalogue_text(eval_ctx, get_translations().ungettext(singular, plural, num))


@pass_eval_context
def _template_pgettext(eval_ctx: EvalContext, context: str, string: str) -> str:
    return _catalogue_text(eval_ctx, get_translations().upgettext(context, string))


@pass_eval_context
def _template_npgettext(
    eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int
) -> str:
    translated = get_translations().unpgettext(context, singular, plural, num)
    return _catalogue_text(eval_ctx, translated)


def furigana(value: str) -> Markup:
    """Escape `value` and turn {漢字|かんじ} into <ruby>; never trusts HTML in the text."""
    escaped = value if isinstance(value, Markup) else escape(value)
    return Markup(FURIGANA.sub(r"<ruby>\1<rp>（</rp><rt>\2</rt><rp>）</rp></ruby>", str(escaped)))


plain_furigana = without_ruby


def text(value: dict[str, str] | None) -> Markup:
    """Render a staff-written text in the current locale, marked with its own lang if it falls back."""
    if not value:
        return Markup("")
    locale = current_locale()
    picked = localize(value, locale)
    if html_lang(picked.locale) != html_lang(locale):
        return Markup('<span lang="{}">{}</span>').format(
            html_lang(picked.locale), furigana(picked.text)
        )
    return furigana(picked.text)


def plain_text(value: dict[str, str] | None) -> str:
    """Return a staff-written text in the current locale, without markup (titles, email)."""
    return plain_furigana(localize(value, current_locale()).text) if value else ""


def fallback_languages(texts: list[dict[str, str]]) -> list[str]:
    """Return the names of the languages shown in place of the current one, if any."""
    locale = current_locale()
    used = {localize(text, locale).locale for text in texts}
    # By code, not by lang attribute: a やさしい日本語 reader shown 日本語 is told so too.
    return [BY_CODE[code].name for code in sorted(used) if code != locale]


def _languages_written(procedure: Procedure) -> frozenset[frozenset[str]]:
    # A procedure is immutable, so its texts are walked once, not on every page.
    return once_per(
        procedure,
        "languages written",
        lambda: frozenset(
            frozenset(code for code, written in text.items() if written)
            for text in procedure.texts()
        ),
    )


def procedure_fallback_languages(procedure: Procedure) -> list[str]:
    """Return fallback_languages(procedure.texts()), walking the procedure's texts only once."""
    return fallback_languages(
        [dict.fromkeys(codes, "·") for codes in _languages_written(procedure)]
    )


def language_links() -> tuple[dict[str, str], ...]:
    """Return the language switcher's links: this page, in each offered language."""
    args = tuple((key, value) for key, value in request.args.items() if key != "lang")
    links = _language_links if len(request.full_path) <= 300 else _language_links.__wrapped__
    return links(request.path, args, tuple(enabled_locales()), current_locale())


@functools.lru_cache(maxsize=4096)
def _language_links(
    path: str, args: tuple[tuple[str, str], ...], codes: tuple[str, ...], current: str
) -> tuple[dict[str, str], ...]:
    # Every page asks for eleven links; most pages are asked for again and again (a long
    # address is not kept: the cache must stay small).
    return tuple(
        {
            "code": code,
            "lang": BY_CODE[code].html_lang,
            "name": BY_CODE[code].name,
            "href": f"{path}?{urlencode((*args, ('lang', code)))}",
            "current": code == current,
        }
        for code in codes
    )


def when(moment) -> str:
    """Show a date and time in Tokyo the reader's way: 2027年1月15日 17:00, January 15, 2027 5:00 PM."""
    return f"{format_date(moment, 'long')} {format_time(moment, 'short')}"


def init_app(app: Flask) -> None:
    from portal.extensions import babel

    babel.domain_instance = PortalDomain()
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
        newstyle=True,
    )
    app.jinja_env.filters["t"] = text
    app.jinja_env.filters["plain"] = plain_text
    app.jinja_env.filters["no_ruby"] = plain_furigana
    app.jinja_env.filters["when"] = when
    app.jinja_env.globals["fallback_languages"] = fallback_languages
    app.jinja_env.globals["procedure_fallback_languages"] = procedure_fallback_languages

    @app.after_request
    def _mark_japanese(response: Response) -> Response:
        if response.mimetype == "text/html" and not response.direct_passthrough:
            response.set_data(mark_japanese(response.get_data(as_text=True)))
        return response

    @app.context_processor
    def _locale_context() -> dict:
        locale = current_locale()
        return {"html_lang": html_lang(locale), "locale": locale, "language_links": language_links}
