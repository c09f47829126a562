"""Focus visible: each kind of focusable element looks different when focused (2.4.7)."""

from __future__ import annotations

from playwright.sync_api import FloatRect, Page

from accessibility_tests.findings import Finding, Where
from accessibility_tests.tabs import page_function

MARGIN = 8  # CSS px around the element, where outlines and shadows are drawn


def check(page: Page, where: Where, seen: set[str]) -> list[Finding]:
    """Return kinds of element, not in `seen` yet, that look the same focused and not."""
    findings = []
    page.mouse.move(0, 0)
    for item in page.evaluate(page_function("focusables.js")):
        if item["kind"] in seen:
            continue
        seen.add(item["kind"])
        element = page.locator(f'[data-a11y-focus="{item["index"]}"]')
        element.focus()
        box = element.bounding_box()
        if box is None:
            continue
        clip = _around(box, page.viewport_size or {"width": 1280, "height": 800})
        focused = page.screenshot(clip=clip, animations="disabled", caret="hide")
        page.evaluate("document.activeElement && document.activeElement.blur()")
        unfocused = page.screenshot(clip=clip, animations="disabled", caret="hide")
        if focused == unfocused:
            findings.append(
                Finding(
                    where,
                    "2.4.7",
                    "focus-visible",
                    f"{item['element']} (kind: {item['kind']})",
                    "the element looks exactly the same focused and unfocused",
                    "give it a :focus-visible style (e.g. outline: 3px solid #ffdd00) and "
                    "never remove the outline without a replacement",
                )
            )
    return findings


def _around(box: FloatRect, viewport: dict[str, int]) -> FloatRect:
    x = max(box["x"] - MARGIN, 0)
    y = max(box["y"] - MARGIN, 0)
    right = min(box["x"] + box["width"] + MARGIN, viewport["width"])
    bottom = min(box["y"] + box["height"] + MARGIN, viewport["height"])
    return {"x": x, "y": y, "width": max(right - x, 1), "height": max(bottom - y, 1)}
