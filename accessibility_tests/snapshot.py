"""What the structural checks know about one page, read in one round trip."""

from __future__ import annotations

from typing import TypedDict

from accessibility_tests.tabs import Tab, page_function


class Link(TypedDict):
    href: str
    text: str


class Summary(TypedDict):
    element: str
    role: str | None
    live: str | None
    focused: bool
    links: list[Link]


class Control(TypedDict):
    name: str
    id: str
    element: str
    invalid: bool
    message: str
    groupInvalid: bool
    groupMessage: str


class TextRun(TypedDict):
    text: str
    lang: str
    element: str


class NavigationItem(TypedDict):
    region: str
    text: str


class FirstFocusable(TypedDict):
    element: str
    href: str | None


class MainElement(TypedDict):
    id: str
    tabindex: str | None


class Facts(TypedDict):
    """The page as snapshot.js reads it."""

    title: str
    lang: str | None
    first: FirstFocusable | None
    main: MainElement | None
    navigation: list[NavigationItem]
    summary: Summary | None
    controls: list[Control]
    textRuns: list[TextRun]
    images: list[str]
    media: list[str]
    audio: list[str]
    animations: list[str]
    blinking: list[str]
    links: list[Link]
    refresh: str | None
    extend: list[str]


def read(tab: Tab) -> Facts:
    """Return the facts of the page in `tab` as it is now."""
    facts: Facts = tab.evaluate(page_function("snapshot.js"))
    return facts
