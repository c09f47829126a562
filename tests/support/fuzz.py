"""What a hostile visitor sends, and where: the forms and links of the pages a browser was
shown, read from their HTML, and the values to put in them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

#: must never come back unescaped in a page
MARKER = "<x-marker>"
#: must never start a CSV cell unescaped (a spreadsheet would run it)
FORMULA = "=x-marker()"
HOSTILE = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "9" * 30,
    "9" * 5000,
    "-1",
    "0",
    "-9223372036854775809",
    "9223372036854775808",
    "2147483648",
    "1e309",
    "NaN",
    "２０２６",
    "0x1F",
    "true",
    "\u202e\u200b",
    "../../etc/passwd",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "%(x)s",
    "%s%n",
    "a\r\nX-Forged: 1",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    MARKER,
    f'"><{MARKER[1:]}',
    FORMULA,
    f"{FORMULA}{MARKER}",
    "x" * 100_000,
)
#: names no form has, but a request may carry anyway
STRAY_NAMES = (
    "csrf_token",
    "action",
    "next",
    "lang",
    "page",
    "id",
    "q",
    "state",
    "error",
    MARKER,
    "a\x00b",
    "x" * 300,
)


@dataclass
class Form:
    """A form as a browser would send it: method, where to, and its controls' names and values."""

    method: str
    path: str
    query: str
    controls: dict[str, list[str]] = field(default_factory=dict)
    #: submit buttons' (name, value): pressing one sends it
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def key(self) -> tuple:
        return (self.method, self.path, tuple(sorted(self.controls)))


class _Harvester(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            target = urlsplit(urljoin(self.page, a.get("action") or self.page))
            self._form = Form(a.get("method", "get").upper(), target.path, target.query)
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "image"):
                self._form.buttons.append((a["name"], a.get("value", "")))
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self._form.controls.setdefault(a["name"], []).append(a.get("value", ""))
            else:
                self._form.controls.setdefault(a["name"], [])
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a["name"]
            self._form.controls.setdefault(a["name"], [])
        elif tag == "option" and self._select and "selected" in a:
            self._form.controls[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.controls.setdefault(a["name"], [""])

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.controls[self._textarea] = [data]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def harvest(html: str, page: str) -> tuple[list[Form], list[str]]:
    """Return the forms and the same-site links (paths with their query) of a page."""
    reader = _Harvester(page)
    reader.feed(html)
    links = []
    for link in reader.links:
        parts = urlsplit(link)
        if parts.netloc in ("", "localhost") and parts.scheme in ("", "http"):
            links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return reader.forms, links


def hostile_variants(form: Form, token: str, rng: random.Random, count: int) -> list[list]:
    """Return `count` hostile bodies for `form`, as (name, value) pairs, mostly with `token`.

    Each control in turn gets a hostile value (then at random: several at once, repeated,
    dropped, stray names added); one body in ten carries a hostile CSRF token instead.
    """
    names = [name for name in form.controls if name != "csrf_token"]
    bodies = []
    for n in range(count):
        pairs = [(name, value) for name, values in form.controls.items() for value in values[:1]]
        targets = [names[n % len(names)]] if names and n < 2 * len(names) else []
        targets += rng.sample(names, k=min(len(names), rng.randint(0, 3)))
        pairs = [(k, v) for k, v in pairs if k not in targets and k != "csrf_token"]
        for name in targets:
            for _ in range(rng.choice((1, 1, 1, 2, 3))):  # sometimes repeated
                pairs.append((name, rng.choice(HOSTILE)))
        if rng.random() < 0.15:
            pairs.append((rng.choice(STRAY_NAMES), rng.choice(HOSTILE)))
        if rng.random() < 0.1 and pairs:
            pairs.pop(rng.randrange(len(pairs)))  # a control missing
        if form.buttons and rng.random() < 0.7:
            pairs.append(rng.choice(form.buttons))
        if "csrf_token" in form.controls or form.method == "POST":
            pairs.append(("csrf_token", rng.choice(HOSTILE) if n % 10 == 9 else token))
        bodies.append(pairs)
    return bodies


def hostile_queries(names: set[str], rng: random.Random, count: int) -> list[list]:
    """Return `count` hostile query strings over `names` (and stray ones), as (name, value) pairs."""
    known = sorted(names)
    queries = []
    for n in range(count):
        chosen = [known[n % len(known)]] if known else []
        chosen += rng.sample(known, k=min(len(known), rng.randint(0, 2)))
        if not known or rng.random() < 0.3:
            chosen.append(rng.choice(STRAY_NAMES))
        queries.append([(name, rng.choice(HOSTILE)) for name in chosen])
    return queries


def query_names(link: str) -> set[str]:
    """Return the names in a link's query string."""
    return {name for name, _ in parse_qsl(urlsplit(link).query, keep_blank_values=True)}
