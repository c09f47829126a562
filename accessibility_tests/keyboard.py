"""Keyboard-only use: skip link, no trap, every control operable, nothing changes by itself
(2.1.1, 2.1.2, 2.4.1, 2.4.3, 3.2.1, 3.2.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from playwright.sync_api import Error, Page, Request

from accessibility_tests.findings import Finding, Where
from accessibility_tests.tabs import page_function

SETTLE_MS = 150  # time for a change handler to start a navigation before we judge it
TEXT_TYPES = frozenset({"", "text", "email", "tel", "number", "search", "url", "password"})


class Focused(TypedDict):
    index: str | None
    element: str
    tag: str
    type: str
    name: str
    value: str
    checked: bool
    options: list[str]
    href: str | None
    isMain: bool


class Stuck(Exception):
    """The keyboard user cannot go on; the findings say why."""


class KeyboardUser:
    """Operates one page with Tab, Shift+Tab, Space, Enter, arrows and typing only."""

    def __init__(self, page: Page, where: Where) -> None:
        self.page = page
        self.where = where
        self.findings: list[Finding] = []
        self.changes: list[str] = []
        self.items: list[dict[str, Any]] = page.evaluate(page_function("focusables.js"))
        self.last_key = ""
        page.on("request", self._request)
        page.context.on("page", self._popup)

    def close(self) -> None:
        """Stop watching the page."""
        self.page.remove_listener("request", self._request)
        self.page.context.remove_listener("page", self._popup)

    def _request(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.changes.append(f"{request.method} {request.url}")

    def _popup(self, popup: Page) -> None:
        self.changes.append(f"a new window ({popup.url})")

    def press(self, key: str, criterion: str = "3.2.1") -> Focused | None:
        """Press `key` and return what has focus; a change of page is a finding."""
        self.last_key = key
        self.page.keyboard.press(key)
        return self.focused(criterion)

    def type(self, text: str) -> None:
        """Type `text` into the focused control."""
        self.last_key = f"typing {text[:20]!r}"
        self.page.keyboard.type(text)

    def focused(self, criterion: str = "3.2.1") -> Focused | None:
        """Return what has focus; a change of page since the last look is a finding."""
        try:
            focused: Focused | None = self.page.evaluate(page_function("focused.js"))
        except Error as error:
            focused = None
            self.changes.append(f"(the page went away: {error.message.splitlines()[0]})")
        self._judge_changes(criterion)
        return focused

    def _judge_changes(self, criterion: str) -> None:
        if not self.changes:
            return
        on = "focus" if criterion == "3.2.1" else "input"
        self.findings.append(
            Finding(
                self.where,
                criterion,
                f"no-change-on-{on}",
                f"after {self.last_key}",
                f"the page changed by itself: {'; '.join(self.changes)}",
                "never submit, navigate or open windows from focus or change events; "
                "let the resident press a button",
            )
        )
        self.changes.clear()
        raise Stuck

    def settle(self, criterion: str) -> None:
        """Give change handlers time to act, then judge whether the page changed."""
        self.page.wait_for_timeout(SETTLE_MS)
        self._judge_changes(criterion)

    def fail(self, criterion: str, rule: str, element: str, problem: str, fix: str) -> None:
        """Record a finding and stop using the page."""
        self.findings.append(Finding(self.where, criterion, rule, element, problem, fix))
        raise Stuck


def audit_and_complete(
    page: Page, where: Where, answers: Mapping[str, str | list[str]], button: str | None
) -> list[Finding]:
    """Check tabbing and the skip link, fill `answers` and press `button`, keyboard only."""
    user = KeyboardUser(page, where)
    try:
        tab_cycle(user)
        skip_link(user)
        if button is not None:
            fill(user, answers, button)
    except Stuck:
        pass
    finally:
        user.close()
    return user.findings


def tab_cycle(user: KeyboardUser) -> None:
    """Tab once round every element, then back with Shift+Tab, expecting page order both ways.

    The round may start anywhere (a #main fragment moves the starting point) and may or may
    not pass through the browser's own controls between the last element and the first.
    """
    count = len(user.items)
    if count == 0:
        return
    forward = [_index(user.press("Tab")) for _ in range(count + 2)]
    stops = [stop for stop in forward if stop is not None]
    expected = [(stops[0] + k) % count for k in range(count)] if stops else list(range(count))
    if stops[:count] != expected:
        _judge_order(user, stops[: count + 1], expected)
    here = forward[-1]
    back = [_index(user.press("Shift+Tab")) for _ in range(count + 2)]
    start = count - 1 if here is None else here - 1
    expected_back = [(start - k) % count for k in range(count)]
    if [stop for stop in back if stop is not None][:count] != expected_back:
        element = user.items[expected_back[0]]["element"]
        user.fail(
            "2.1.2",
            "shift-tab-goes-back",
            element,
            f"Shift+Tab went {back}, not back through {expected_back}",
            "remove the keydown handler that holds focus; let Shift+Tab leave every element",
        )


def _judge_order(user: KeyboardUser, stops: list[int | None], expected: list[int]) -> None:
    seen: set[int | None] = set()
    for stop in stops[: len(expected)]:
        if stop in seen:
            element = user.items[stop]["element"] if stop is not None else "(nothing)"
            user.fail(
                "2.1.2",
                "no-keyboard-trap",
                element,
                f"focus keeps returning to {element}: Tab went {stops} instead of {expected}",
                "do not move focus back in keydown/blur handlers; let Tab leave every element",
            )
        seen.add(stop)
    missed = [item["element"] for i, item in enumerate(user.items) if i not in seen]
    if missed:
        user.fail(
            "2.1.1",
            "every-element-reachable",
            missed[0],
            f"Tab never reaches {missed}",
            "remove tabindex=-1 or make the element focusable",
        )
    user.fail(
        "2.4.3",
        "focus-order",
        user.items[0]["element"],
        f"Tab order {stops} differs from the page order {expected}",
        "remove positive tabindex values; put elements in the DOM in reading order",
    )


def skip_link(user: KeyboardUser) -> None:
    """Expect the first Tab stop to be a skip link to main, visible when focused and working."""
    if not user.items:
        user.fail(
            "2.4.1",
            "skip-link-first",
            "body",
            "the page has nothing to Tab to",
            'make <a class="skip-link" href="#main"> the first element of <body>',
        )
    first = user.items[0]
    for _ in range(len(user.items) + 2):
        focused = user.focused()
        if focused is not None and focused["index"] == "0":
            break
        user.press("Tab")
    if first["href"] != "#main":
        user.fail(
            "2.4.1",
            "skip-link-first",
            first["element"],
            "the first Tab stop is not a skip link to #main",
            'make <a class="skip-link" href="#main"> the first element of <body>',
        )
    box = user.page.locator(f'[data-a11y-focus="{first["index"]}"]').bounding_box()
    viewport = user.page.viewport_size or {"width": 1280, "height": 800}
    if box is None or box["x"] < 0 or box["y"] < 0 or box["x"] + box["width"] > viewport["width"]:
        user.fail(
            "2.4.1",
            "skip-link-visible",
            first["element"],
            f"the skip link stays off screen when focused (box {box})",
            "bring the skip link on screen on :focus (e.g. .skip-link:focus { left: 0 })",
        )
    after = user.press("Enter")
    if after is None or not after["isMain"]:
        user.fail(
            "2.4.1",
            "skip-link-moves-focus",
            first["element"],
            f"Enter on the skip link moves focus to {after['element'] if after else 'nothing'}, "
            "not to main",
            'give main id="main" and tabindex="-1"',
        )


def fill(user: KeyboardUser, answers: Mapping[str, str | list[str]], button: str) -> None:
    """Tab to each control named in `answers`, set it with keys, then press `button` with Enter."""
    names = set(answers)
    done: set[str] = set()
    for _ in range(2 * len(user.items) + 2):
        focused = user.press("Tab")
        if focused is None:
            continue
        if focused["name"] in names and focused["name"] not in done:
            _operate(user, focused, answers[focused["name"]], done)
        elif user.page.evaluate("sel => document.activeElement.matches(sel)", button):
            if names - done:
                continue
            user.settle("3.2.2")
            with user.page.expect_navigation():
                user.page.keyboard.press("Enter")
            return
    missing = sorted(names - done)
    user.fail(
        "2.1.1" if missing else "2.1.2",
        "keyboard-completes-form",
        button,
        f"Tab never reached {missing or 'the ' + button + ' button'}",
        "make every control and the submit button reachable with Tab",
    )


def _operate(user: KeyboardUser, focused: Focused, wanted: str | list[str], done: set[str]) -> None:
    values = wanted if isinstance(wanted, list) else [wanted]
    name = focused["name"]
    if focused["type"] == "checkbox":
        if focused["checked"] != (focused["value"] in values):
            focused = user.press("Space", "3.2.2") or focused
        if _last_of_group(user, name, focused):
            done.add(name)
        return
    if focused["type"] == "radio":
        for _ in range(len(user.items)):
            if focused["value"] == values[0]:
                break
            focused = user.press("ArrowDown", "3.2.2") or focused
        if not focused["checked"]:
            focused = user.press("Space", "3.2.2") or focused
    elif focused["tag"] == "select":
        steps = focused["options"].index(values[0]) - focused["options"].index(focused["value"])
        for _ in range(abs(steps)):
            focused = user.press("ArrowDown" if steps > 0 else "ArrowUp", "3.2.2") or focused
    elif focused["tag"] == "textarea" or focused["type"] in TEXT_TYPES:
        if focused["value"]:
            user.press("Control+A", "3.2.2")
        user.type(values[0])
    # every kind of control: a change handler's navigation belongs to the input, not to the
    # next Tab (it may be reported only after the key press has returned)
    user.settle("3.2.2")
    now = user.focused("3.2.2")
    got = now["value"] if now else None
    if (
        now is None
        or now["name"] != name
        or got != values[0]
        or (now["type"] == "radio" and not now["checked"])
    ):
        user.fail(
            "2.1.1",
            "operable-by-keyboard",
            focused["element"],
            f"could not set {name!r} to {values[0]!r} with the keyboard (got {got!r})",
            "use native controls (input, select, button) or give custom ones key handling",
        )
    done.add(name)


def _last_of_group(user: KeyboardUser, name: str, focused: Focused) -> bool:
    same = [item for item in user.items if item["name"] == name]
    return bool(same) and same[-1]["index"] == _index(focused)


def _index(focused: Focused | None) -> int | None:
    return int(focused["index"]) if focused and focused["index"] is not None else None
