"""Resize text: at 200% zoom and at 320 CSS px nothing is clipped or scrolls sideways (1.4.4)."""

from __future__ import annotations

from playwright.sync_api import Page

from accessibility_tests.findings import Finding, Where
from accessibility_tests.tabs import page_function

#: a 1280 × 800 window at 200% and at 400% zoom, in CSS pixels
VIEWPORTS = {"200% zoom": (640, 400), "320 CSS px": (320, 400)}
FIX = (
    "let it wrap: no fixed widths in px (use max-width and %), flex-wrap, overflow-wrap: anywhere, "
    "and no overflow: hidden on text containers"
)


def check(page: Page, where: Where) -> list[Finding]:
    """Return sideways scrolling and clipped content at each narrow viewport."""
    original = page.viewport_size
    findings = []
    try:
        for label, (width, height) in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            layout = page.evaluate(page_function("reflow.js"))
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
        if original is not None:
            page.set_viewport_size(original)
    return findings
