"""The gate can fail: every check catches its known barrier in fixtures/, and passes the
clean fixture pages (so a pass on the portal means something)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page
from selenium.webdriver.remote.webdriver import WebDriver

from accessibility_tests import (
    axe,
    error_identification,
    focus,
    keyboard,
    language,
    markup,
    navigation,
    reflow,
    snapshot,
)
from accessibility_tests.browsers import DESKTOP, selenium_chromium
from accessibility_tests.findings import Finding, Where
from accessibility_tests.tabs import PlaywrightTab, SeleniumTab, Tab
from accessibility_tests.toolchain import HERE

pytestmark = pytest.mark.browser
FIXTURES = HERE / "fixtures"
CLEAN_ANSWERS = {"name": "Hanako", "age": "old", "ward": "nishi", "agree": ["y"]}
OpenFixture = Callable[[str], Page]
OpenTab = Callable[[str], Tab]


@pytest.fixture(scope="module")
def open_fixture(browser: Browser, fixture_pages: str) -> Iterator[OpenFixture]:
    """Open a fixture page in a fresh tab of one shared context."""
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP)

    def open_page(name: str) -> Page:
        page = context.new_page()
        page.goto(f"{fixture_pages}/{name}")
        return page

    yield open_page
    context.close()


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    """Start a Selenium chromium for the fixture pages."""
    with selenium_chromium() as started:
        yield started


@pytest.fixture(params=["playwright", "selenium"])
def open_tab(
    request: pytest.FixtureRequest, open_fixture: OpenFixture, driver: WebDriver, fixture_pages: str
) -> OpenTab:
    """Open a fixture page in either harness's tab (each check runs in both)."""

    def open_in_tab(name: str) -> Tab:
        tab: Tab
        if request.param == "playwright":
            tab = PlaywrightTab(open_fixture("clean.html"), fixture_pages)
        else:
            tab = SeleniumTab(driver, fixture_pages)
        tab.open(f"/{name}")
        return tab

    return open_in_tab


def where(name: str) -> Where:
    """Return where a fixture finding is."""
    return Where(page=name, state="fixture", locale="en", url=f"fixtures/{name}")


def rules(findings: list[Finding]) -> set[str]:
    """Return the rules the findings break."""
    return {finding.rule for finding in findings}


@pytest.mark.parametrize(
    ("name", "rule"),
    [("unlabelled-input.html", "axe label"), ("img-without-alt.html", "axe image-alt")],
)
def test_axe_through_playwright_catches(name: str, rule: str, open_fixture: OpenFixture) -> None:
    page = open_fixture(name)
    assert rule in rules(axe.violations(axe.run_playwright(page), where(name)))


@pytest.mark.parametrize(
    ("name", "rule"),
    [("unlabelled-input.html", "axe label"), ("img-without-alt.html", "axe image-alt")],
)
def test_axe_through_selenium_catches(
    name: str, rule: str, driver: WebDriver, fixture_pages: str
) -> None:
    driver.get(f"{fixture_pages}/{name}")
    assert rule in rules(axe.violations(axe.run_selenium(driver), where(name)))


@pytest.mark.parametrize("name", ["clean.html", "clean-error.html"])
def test_axe_passes_the_clean_pages(
    name: str, open_fixture: OpenFixture, driver: WebDriver, fixture_pages: str
) -> None:
    driver.get(f"{fixture_pages}/{name}")
    assert axe.violations(axe.run_selenium(driver), where(name)) == []
    assert axe.violations(axe.run_playwright(open_fixture(name)), where(name)) == []


def test_each_harness_reads_the_html_as_it_was_served(open_tab: OpenTab) -> None:
    # the markup check validates what the server sent, not the browser's repaired DOM
    served = (FIXTURES / "invalid-markup.html").read_text(encoding="utf-8")
    assert open_tab("invalid-markup.html").source == served


def test_focus_check_catches_a_button_without_focus_style(open_tab: OpenTab) -> None:
    findings = focus.check(open_tab("outline-none.html"), where("outline-none.html"), set())
    assert [f.rule for f in findings] == ["focus-visible"]
    assert findings[0].element.startswith("button.quiet")


def test_focus_check_passes_the_clean_page(open_tab: OpenTab) -> None:
    assert focus.check(open_tab("clean.html"), where("clean.html"), set()) == []


def test_keyboard_check_catches_a_trap(open_fixture: OpenFixture) -> None:
    page = open_fixture("keyboard-trap.html")
    findings = keyboard.audit_and_complete(page, where("keyboard-trap.html"), {}, None)
    assert rules(findings) == {"no-keyboard-trap"}


def test_keyboard_check_catches_a_submit_on_change(open_fixture: OpenFixture) -> None:
    page = open_fixture("submit-on-change.html")
    findings = keyboard.audit_and_complete(
        page, where("submit-on-change.html"), {"ward": "nishi"}, "button[type=submit]"
    )
    assert rules(findings) == {"no-change-on-input"}


def test_keyboard_check_catches_a_missing_skip_link(open_fixture: OpenFixture) -> None:
    page = open_fixture("no-skip-link.html")
    findings = keyboard.audit_and_complete(page, where("no-skip-link.html"), {}, None)
    assert rules(findings) == {"skip-link-first"}


def test_keyboard_completes_the_clean_form(open_fixture: OpenFixture) -> None:
    page = open_fixture("clean.html")
    findings = keyboard.audit_and_complete(
        page, where("clean.html"), CLEAN_ANSWERS, "button[type=submit]"
    )
    assert findings == []
    assert "name=Hanako&age=old&ward=nishi&agree=y" in page.url


def test_error_check_catches_an_error_without_summary(open_tab: OpenTab) -> None:
    facts = snapshot.read(open_tab("error-without-summary.html"))
    findings = error_identification.check(facts, where("error-without-summary.html"), (("name",),))
    assert rules(findings) == {"error-summary"}


def test_error_check_passes_the_clean_error_page(open_tab: OpenTab) -> None:
    facts = snapshot.read(open_tab("clean-error.html"))
    assert error_identification.check(facts, where("clean-error.html"), (("name",),)) == []


def test_reflow_check_catches_fixed_widths_and_clipping(open_tab: OpenTab) -> None:
    findings = reflow.check(open_tab("fixed-width.html"), where("fixed-width.html"))
    assert rules(findings) == {"no-horizontal-scroll", "nothing-clipped"}
    assert any("div" in f.element for f in findings if f.rule == "nothing-clipped")
    assert any("p.cut" in f.element for f in findings)


def test_reflow_check_passes_the_clean_page(open_tab: OpenTab) -> None:
    assert reflow.check(open_tab("clean.html"), where("clean.html")) == []


def test_skip_link_check_catches_its_absence(open_tab: OpenTab) -> None:
    facts = snapshot.read(open_tab("no-skip-link.html"))
    assert rules(navigation.skip_link(facts, where("no-skip-link.html"))) == {"main-landmark"}


def test_language_checks_catch_missing_and_unmarked_languages(open_tab: OpenTab) -> None:
    facts = snapshot.read(open_tab("wrong-lang.html"))
    assert rules(language.page_language(facts, where("wrong-lang.html"), "en")) == {"html-lang"}
    findings = language.parts_language(facts, where("wrong-lang.html"), (), {"日本語": "ja"})
    assert sorted(f.problem.split("'")[1] for f in findings) == [
        "お名前を入力してください",
        "日本語",
    ]


def test_language_checks_pass_the_clean_page(open_tab: OpenTab) -> None:
    facts = snapshot.read(open_tab("clean.html"))
    assert language.page_language(facts, where("clean.html"), "en") == []
    assert language.parts_language(facts, where("clean.html"), (), {"日本語": "ja"}) == []


def test_markup_check_catches_invalid_html_and_passes_valid_html() -> None:
    errors = markup.validate(
        {
            name: (FIXTURES / name).read_text(encoding="utf-8")
            for name in ("invalid-markup.html", "clean.html", "clean-error.html")
        }
    )
    found = rules(markup.findings(errors["invalid-markup.html"], where("invalid-markup.html")))
    assert {rule for rule in found if "Duplicate ID" in rule or "Stray end tag" in rule} == {
        "vnu: Duplicate ID “twice”.",
        "vnu: Stray end tag “span”.",
    }
    assert errors["clean.html"] == errors["clean-error.html"] == []
