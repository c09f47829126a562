"""Japanese words inside pages in other languages, marked `lang="ja"` (JIS X 8341-3 3.1.2).

Translations keep some Japanese on purpose: the name of the office a resident must go to
(区役所), the words printed on the card or the receipt (マイナンバーカード, 受付番号), what a
resident typed or their card holds. A screen reader reading an English page pronounces
those with an English voice unless the words say they are Japanese. Writing markup into
translations is not allowed (translators write text, never HTML), so the finished page is
read once (by one regular expression over its tags, not an HTML parser: a tenth of the
cost) and each run of Japanese text that is not already inside a Japanese element is
wrapped in `<span lang="ja">`.

Which text counts as Japanese depends on the page's language: kana always; kanji too,
except on Chinese and Korean pages, where kanji belong to the page's own writing and only a
run that holds kana (with the kanji next to it, as in 住民票の写し) is Japanese.
"""

from __future__ import annotations

import re

KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆"
#: what may sit inside a Japanese run without ending it: Japanese punctuation, full-width forms
JOINERS = "\u3000-\u303f\uff01-\uff65ー・"
#: Japanese words, with the spaces between them (横浜 花子 is one name, read in one voice)
RUN = re.compile(
    f"[{KANA}{KANJI}][{KANA}{KANJI}{JOINERS}]*(?: +[{KANA}{KANJI}][{KANA}{KANJI}{JOINERS}]*)*"
)
#: any character a run starts with
JAPANESE = re.compile(f"[{KANA}{KANJI}]")
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
#: a tag, a comment, a declaration or a processing instruction (quoted values may hold `>`)
TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([a-zA-Z][^\s/>]*)([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>",
    re.DOTALL,
)
LANG_ATTRIBUTE = re.compile(r"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
#: elements whose content is text up to their end tag, never elements
RAW_TEXT = frozenset({"script", "style"})
HTML_LANG = re.compile(r"<html\b[^>]*?\slang=\"([^\"]*)\"", re.IGNORECASE)


def primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def mark_japanese(html: str) -> str:
    """Return the page `html` with each Japanese run outside a Japanese element in lang="ja"."""
    page = HTML_LANG.search(html)
    if page is None or primary(page.group(1)) == "ja":
        return html
    # Past the last Japanese character (in text or in an attribute) nothing is wrapped: the
    # rest of the page is copied without reading its tags.
    after_japanese = max((run.end() for run in RUN.finditer(html)), default=None)
    if after_japanese is None:
        return html
    out: list[str] = []
    #: open elements: (tag, lang in force inside it); the <html lang> comes first
    stack: list[tuple[str, str]] = [("", "")]
    at = 0
    while True:
        token = TOKEN.search(html, at)
        text = html[at : token.start() if token else len(html)]
        if text:
            if not JAPANESE.search(text) or any(tag in NO_MARKUP for tag, _ in stack):
                out.append(text)
            else:
                out.append(_wrap(text, stack[-1][1]))
        if token is None:
            return "".join(out)
        if token.start() >= after_japanese:
            out.append(html[token.start() :])
            return "".join(out)
        out.append(token.group())
        at = token.end()
        closing, tag, attrs = token.group(1, 2, 3)
        if tag is None:  # a comment, a declaration, a processing instruction
            continue
        tag = tag.lower()
        if closing:
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth][0] == tag:
                    del stack[depth:]
                    break
        elif tag in RAW_TEXT and not attrs.endswith("/"):
            # <script> and <style> hold no elements: copy them to their end tag as they are
            end = re.compile(f"</{tag}\\b", re.IGNORECASE).search(html, at)
            stop = end.start() if end else len(html)
            out.append(html[at:stop])
            at = stop
        elif tag not in VOID and not attrs.endswith("/"):
            lang = LANG_ATTRIBUTE.search(attrs) if "lang" in attrs.lower() else None
            inherited = stack[-1][1]
            stack.append(
                (tag, inherited if lang is None else next(filter(None, lang.groups()), ""))
            )


def japanese_runs(text: str, lang: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each run of `text` that is Japanese on a `lang` page."""
    own = primary(lang)
    if own == "ja":
        return []
    pattern = KANA_RUN if own in HAN_LANGUAGES else RUN
    return [match.span() for match in pattern.finditer(text)]


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
