"""Focus visible: each kind of focusable element looks different when focused (2.4.7)."""

from __future__ import annotations

from accessibility_tests.findings import Finding, Where
from accessibility_tests.tabs import Clip, Tab, page_function

MARGIN = 8  # CSS px around the element, where outlines and shadows are drawn


#: focus an element the focusables script marked; return its box in the viewport (None: unseen)
FOCUS = """(index) => {
  const element = document.querySelector(`[data-a11y-focus="${index}"]`);
  if (!element) return null;
  element.focus();
  const box = element.getBoundingClientRect();
  return box.width || box.height ? {x: box.x, y: box.y, width: box.width, height: box.height} : null;
}"""
BLUR = "() => document.activeElement && document.activeElement.blur()"


def check(tab: Tab, where: Where, seen: set[str]) -> list[Finding]:
    """Return kinds of element in `tab`, not in `seen` yet, that look the same
    focused and not."""
    findings = []
    tab.park_mouse()
    for item in tab.evaluate(page_function("focusables.js")):
        if item["kind"] in seen:
            continue
        seen.add(item["kind"])
        box = tab.evaluate(FOCUS, item["index"])
        if box is None:
            continue
        clip = _around(box, tab.viewport())
        focused = tab.screenshot(clip)
        tab.evaluate(BLUR)
        unfocused = tab.screenshot(clip)
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


def _around(box: Clip, viewport: dict[str, int]) -> Clip:
    x = max(box["x"] - MARGIN, 0)
    y = max(box["y"] - MARGIN, 0)
    right = min(box["x"] + box["width"] + MARGIN, viewport["width"])
    bottom = min(box["y"] + box["height"] + MARGIN, viewport["height"])
    return {"x": x, "y": y, "width": max(right - x, 1), "height": max(bottom - y, 1)}
