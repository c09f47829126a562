"""Resize text: at 200% zoom and at 320 CSS px nothing is clipped or scrolls sideways (1.4.4)."""

from __future__ import annotations

from accessibility_tests.findings import Finding, Where
from accessibility_tests.tabs import Tab, page_function

#: a 1280 × 800 window at 200% and at 400% zoom, in CSS pixels
VIEWPORTS = {"200% zoom": (640, 400), "320 CSS px": (320, 400)}
FIX = (
    "let it wrap: no fixed widths in px (use max-width and %), flex-wrap, overflow-wrap: anywhere, "
    "and no overflow: hidden on text containers"
)


def check(tab: Tab, where: Where) -> list[Finding]:
    """Return sideways scrolling and clipped content in `tab` at each narrow
    viewport."""
    original = tab.viewport()
    findings = []
    try:
        for label, (width, height) in VIEWPORTS.items():
            tab.resize(width, height)
            layout = tab.evaluate(page_function("reflow.js"))
            if layout["scrollWidth"] > layout["width"] + 1:
                findings.append(
                    Finding(
                        where,
                        "1.4.4",
                        "no-horizontal-scroll",
                        "html",
                        f"at {label} the page is {layout['scrollWidth']} px wide and scrolls "
                        f"sideways in a {layout['width']} px viewport",
                        FIX,
                    )
                )
            findings += [
                Finding(
                    where,
                    "1.4.4",
                    "nothing-clipped",
                    problem["element"],
                    f"at {label}: {problem['problem']}",
                    FIX,
                )
                for problem in layout["problems"]
            ]
    finally:
        tab.resize(original["width"], original["height"])
    return findings
