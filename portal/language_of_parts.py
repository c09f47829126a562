"""Japanese words inside pages in other languages, marked `lang="ja"` (JIS X 8341-3 3.1.2).

Translations keep some Japanese on purpose: the name of the office a resident must go to
(区役所), the words printed on the card or the receipt (マイナンバーカード, 受付番号), what a
resident typed or their card holds. A screen reader reading an English page pronounces
those with an English voice unless the words say they are Japanese. Writing markup into
translations is not allowed (translators write text, never HTML), so the finished page is
read once and each run of Japanese text that is not already inside a Japanese element is
wrapped in `<span lang="ja">`.

Which text counts as Japanese depends on the page's language: kana always; kanji too,
except on Chinese and Korean pages, where kanji belong to the page's own writing and only a
run that holds kana (with the kanji next to it, as in 住民票の写し) is Japanese.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆"
#: what may sit inside a Japanese run without ending it: Japanese punctuation, full-width forms
JOINERS = "\u3000-\u303f\uff01-\uff65ー・"
#: Japanese words, with the spaces between them (横浜 花子 is one name, read in one voice)
RUN = re.compile(
    f"[{KANA}{KANJI}][{KANA}{KANJI}{JOINERS}]*(?: +[{KANA}{KANJI}][{KANA}{KANJI}{JOINERS}]*)*"
)
#: on a Chinese or Korean page: kana, with the kanji written against it (住民票の写し)
KANA_RUN = re.compile(f"[{KANJI}]*[{KANA}][{KANA}{KANJI}ー・]*")
#: elements whose text cannot hold markup, or is not text at all
NO_MARKUP = frozenset({"title", "option", "optgroup", "textarea", "script", "style", "template"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    | {"param", "source", "track", "wbr"}
)
#: pages whose own script includes kanji
HAN_LANGUAGES = frozenset({"ja", "zh", "ko"})
HTML_LANG = re.compile(r"<html\b[^>]*?\slang=\"([^\"]*)\"", re.IGNORECASE)


def primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def mark_japanese(html: str) -> str:
    """Return the page `html` with each Japanese run outside a Japanese element in lang="ja"."""
    page = HTML_LANG.search(html)
    if page is None or primary(page.group(1)) == "ja" or not RUN.search(html):
        return html
    marker = _Marker()
    marker.feed(html)
    marker.close()
    return "".join(marker.out)


def japanese_runs(text: str, lang: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each run of `text` that is Japanese on a `lang` page."""
    own = primary(lang)
    if own == "ja":
        return []
    pattern = KANA_RUN if own in HAN_LANGUAGES else RUN
    return [match.span() for match in pattern.finditer(text)]


class _Marker(HTMLParser):
    """Copy the page as it came, wrapping Japanese runs in text that can hold markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        #: open elements: (tag, lang in force inside it); the <html lang> comes first
        self.stack: list[tuple[str, str]] = [("", "")]

    @property
    def lang(self) -> str:
        return self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")
        if tag not in VOID:
            lang = dict(attrs).get("lang")
            self.stack.append((tag, self.lang if lang is None else lang))

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        if any(tag in NO_MARKUP for tag, _ in self.stack):
            self.out.append(data)
            return
        self.out.append(_wrap(data, self.lang))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def _wrap(text: str, lang: str) -> str:
    runs = japanese_runs(text, lang)
    if not runs:
        return text
    pieces, at = [], 0
    for start, end in runs:
        pieces += [text[at:start], '<span lang="ja">', text[start:end], "</span>"]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
