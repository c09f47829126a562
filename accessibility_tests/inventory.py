"""An inventory of images, media and motion, deciding which criteria apply (1.1.1, 1.2.x,
1.4.2, 1.4.5, 2.2.1, 2.2.2, 2.3.1)."""

from __future__ import annotations

from dataclasses import dataclass, field

from accessibility_tests.findings import Finding, Where
from accessibility_tests.snapshot import Facts


@dataclass
class Inventory:
    """What each kind of non-text content was found on, across every audited page."""

    found: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: {"images": {}, "media": {}, "audio": {}, "motion": {}}
    )

    def add(self, url: str, facts: Facts) -> None:
        """Record what the page at `url` contains."""
        for kind, elements in (
            ("images", facts["images"]),
            ("media", facts["media"]),
            ("audio", facts["audio"] + facts["media"]),
            ("motion", facts["animations"] + facts["blinking"] + facts["media"]),
        ):
            if elements:
                self.found[kind][url] = sorted(set(elements))

    def applies(self, kind: str) -> bool:
        """Tell whether any page has content of `kind`."""
        return bool(self.found[kind])


def forbidden(facts: Facts, where: Where) -> list[Finding]:
    """Return content that fails by its mere presence: autoplay sound, blinking, meta refresh."""
    findings = [
        Finding(
            where,
            "1.4.2",
            "no-autoplay-audio",
            element,
            "sound plays automatically",
            "remove autoplay, or start muted with a visible control",
        )
        for element in facts["audio"]
    ]
    findings += [
        Finding(
            where,
            "2.2.2",
            "no-blinking",
            element,
            "content moves or blinks by itself",
            "remove <marquee>/<blink>; use static text",
        )
        for element in facts["blinking"]
    ]
    if facts["refresh"] is not None:
        findings.append(
            Finding(
                where,
                "2.2.1",
                "no-meta-refresh",
                f'meta[content="{facts["refresh"]}"]',
                "the page reloads or redirects itself on a timer",
                'remove <meta http-equiv="refresh">; redirect on the server instead',
            )
        )
    return findings
