"""Checks every rendered page must pass, whatever test rendered it."""

from __future__ import annotations

import re
from collections import Counter

import html5lib
from html5lib.html5parser import ParseError

NS = "{http://www.w3.org/1999/xhtml}"
LABELLED_TYPES_EXEMPT = {"hidden", "submit", "button", "reset", "image"}


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def problems_in(html: str) -> list[str]:
    """Return what is wrong with a page (empty when it passes every invariant)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        root = parser.parse(html)
    except ParseError as error:
        return [f"HTML does not parse: {error}"]
    found: list[str] = []
    if not root.get("lang"):
        found.append("<html> has no lang attribute")
    h1s = root.findall(f".//{NS}h1")
    if len(h1s) != 1:
        found.append(f"expected exactly one <h1>, found {len(h1s)}")
    title = root.find(f".//{NS}title")
    if title is None or not _text(title):
        found.append("no <title>")
    elif h1s:
        shown = _text(title)
        heading = _text(h1s[0])
        if not shown.startswith(heading):
            # an error page's title starts with "Error:" in the page's language
            shown = re.sub(r"^[^:：]{1,20}[:：]\s*", "", shown)
        if not (shown.startswith(heading) or heading.startswith(shown.split(" - ")[0])):
            found.append(f"<title> {shown!r} does not start with the <h1> {heading!r}")
    ids = Counter(element.get("id") for element in root.iter() if element.get("id"))
    found += [f"id {key!r} is used {count} times" for key, count in ids.items() if count > 1]
    labelled = {label.get("for") for label in root.iter(f"{NS}label")}
    for tag in ("input", "select", "textarea"):
        for control in root.iter(f"{NS}{tag}"):
            if control.get("type") in LABELLED_TYPES_EXEMPT:
                continue
            if control.get("id") not in labelled and not control.get("aria-label"):
                found.append(f"<{tag} name={control.get('name')!r}> has no label")
    for element in root.iter():
        described = element.get("aria-describedby")
        for ref in (described or "").split():
            if ref not in ids:
                found.append(f"aria-describedby points at missing id {ref!r}")
    return found
