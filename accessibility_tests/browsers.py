"""Launch Debian's chromium for each harness: Playwright and Selenium (chromedriver)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Playwright, sync_playwright
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from accessibility_tests.toolchain import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, require

DESKTOP = {"width": 1280, "height": 800}


@contextmanager
def playwright_chromium() -> Iterator[tuple[Playwright, Browser]]:
    """Yield Playwright and one headless Debian chromium, closed afterwards."""
    flags = [flag for flag in CHROMIUM_FLAGS if not flag.startswith("--headless")]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(require(CHROMIUM)), headless=True, args=flags
        )
        try:
            yield playwright, browser
        finally:
            browser.close()


@contextmanager
def selenium_chromium() -> Iterator[webdriver.Chrome]:
    """Yield a Selenium driver on Debian's chromedriver and chromium, quit afterwards."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(require(CHROMIUM))
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={DESKTOP['width']},{DESKTOP['height']}")
    # the network events of each page, to read the HTML as served (SeleniumTab.source)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.add_experimental_option(
        "perfLoggingPrefs", {"enableNetwork": True, "enablePage": False}
    )
    driver = webdriver.Chrome(options=options, service=Service(str(require(CHROMEDRIVER))))
    try:
        yield driver
    finally:
        driver.quit()
