"""The walker's tab, implemented for Playwright and for Selenium."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any, Protocol, TypedDict

from playwright.sync_api import Page
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from accessibility_tests.browsers import DESKTOP
from accessibility_tests.toolchain import script

TIMEOUT_SECONDS = 15
#: how often to ask whether the next page has loaded (Selenium's default, 0.5 s, idles)
POLL_SECONDS = 0.02
#: true once the page marked before pressing a button has been replaced and has loaded
NEW_PAGE_LOADED = "return !window.__a11yLeaving && document.readyState === 'complete';"


#: hide the text caret in screenshots (it blinks): a constructed sheet, which the CSP allows
HIDE_CARET = """() => { if (window.__a11yCaret) return; window.__a11yCaret = true;
  const sheet = new CSSStyleSheet(); sheet.replaceSync('* { caret-color: transparent !important; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }"""


class Clip(TypedDict):
    """A rectangle of the viewport, in CSS pixels."""

    x: float
    y: float
    width: float
    height: float


def page_function(name: str) -> str:
    """Return js/`name` as a function of one argument, with the shared helpers defined."""
    return f"(arg) => {{ {script('describe.js')}\nreturn ({script(name)})(arg); }}"


def accept_language(locale: str) -> str:
    """Return the Accept-Language header of a browser set to `locale` (e.g. zh_Hans → zh-Hans)."""
    return locale.replace("_", "-")


class Tab(Protocol):
    """A browser tab as the walker and the checks need it, in either harness."""

    @property
    def source(self) -> str:
        """Return the HTML of the current page as the server sent it."""

    def open(self, path: str) -> None:
        """Load `path` of the portal."""

    def submit(self, button: str) -> None:
        """Press the submit button matching the CSS selector and wait for the next page."""

    def fill(self, answers: Mapping[str, str | list[str]]) -> list[str]:
        """Set form controls by name; return the names not on the page."""

    def clear_cookies(self) -> None:
        """Forget the session, as an expired one would be."""

    def url(self) -> str:
        """Return the current URL."""

    def main_text(self) -> str:
        """Return the text of the page's main content."""

    def evaluate(self, function: str, arg: Any = None) -> Any:
        """Run the JavaScript `function` of one argument in the page; return its result."""

    def screenshot(self, clip: Clip) -> bytes:
        """Return a PNG of `clip` of the viewport."""

    def resize(self, width: int, height: int) -> None:
        """Set the viewport's size in CSS pixels."""

    def viewport(self) -> dict[str, int]:
        """Return the viewport's size in CSS pixels."""

    def park_mouse(self) -> None:
        """Move the mouse off any element it would hover."""


class PlaywrightTab:
    """A Playwright page, remembering the HTML source of the last response."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.source = ""

    def open(self, path: str) -> None:
        """Load `path` and keep its source."""
        response = self.page.goto(self.base_url + path)
        self.source = response.text() if response is not None else ""

    def submit(self, button: str) -> None:
        """Press `button`, wait for the next page and keep its source."""
        with self.page.expect_navigation() as navigation:
            self.page.locator(button).first.click()
        response = navigation.value
        self.source = response.text() if response is not None else ""

    def fill(self, answers: Mapping[str, str | list[str]]) -> list[str]:
        """Set form controls by name; return the names not on the page."""
        return list(self.page.evaluate(page_function("fill.js"), dict(answers)))

    def clear_cookies(self) -> None:
        """Forget the session."""
        self.page.context.clear_cookies()

    def evaluate(self, function: str, arg: Any = None) -> Any:
        """Run the JavaScript `function` of one argument in the page; return its result."""
        return self.page.evaluate(function, arg)

    def screenshot(self, clip: Clip) -> bytes:
        """Return a PNG of `clip`, animations finished and the caret hidden."""
        return self.page.screenshot(clip=clip, animations="disabled", caret="hide")

    def resize(self, width: int, height: int) -> None:
        """Set the viewport's size in CSS pixels."""
        self.page.set_viewport_size({"width": width, "height": height})

    def viewport(self) -> dict[str, int]:
        """Return the viewport's size in CSS pixels."""
        return dict(self.page.viewport_size or DESKTOP)

    def park_mouse(self) -> None:
        """Move the mouse to the corner, off any element it would hover."""
        self.page.mouse.move(0, 0)

    def url(self) -> str:
        """Return the current URL."""
        return self.page.url

    def main_text(self) -> str:
        """Return the text of main (or of the body where there is no main)."""
        return str(
            self.page.evaluate("(document.querySelector('main') || document.body).innerText")
        )


class SeleniumTab:
    """A Selenium-driven chromium window (started by `browsers.selenium_chromium`, which keeps
    the performance log the served HTML is read from)."""

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url
        self._source: str | None = None
        driver.execute_cdp_cmd("Network.enable", {})

    @property
    def source(self) -> str:
        """Return the HTML of the current page as the server sent it."""
        if self._source is None:
            documents = [
                message["params"]["requestId"]
                for entry in self.driver.get_log("performance")
                for message in [json.loads(entry["message"])["message"]]
                if message["method"] == "Network.responseReceived"
                and message["params"]["type"] == "Document"
            ]
            if not documents:
                return ""
            body = self.driver.execute_cdp_cmd(
                "Network.getResponseBody", {"requestId": documents[-1]}
            )
            self._source = str(body["body"])
        return self._source

    def open(self, path: str) -> None:
        """Load `path`."""
        self._source = None
        self.driver.get(self.base_url + path)

    def submit(self, button: str) -> None:
        """Press `button` and wait until the next page has loaded."""
        self._source = None
        self.driver.execute_script("window.__a11yLeaving = true;")
        self.driver.find_element(By.CSS_SELECTOR, button).click()
        WebDriverWait(
            self.driver,
            TIMEOUT_SECONDS,
            poll_frequency=POLL_SECONDS,
            ignored_exceptions=(WebDriverException,),
        ).until(lambda driver: driver.execute_script(NEW_PAGE_LOADED))

    def fill(self, answers: Mapping[str, str | list[str]]) -> list[str]:
        """Set form controls by name; return the names not on the page."""
        return list(
            self.driver.execute_script(
                f"return ({page_function('fill.js')})(arguments[0]);", dict(answers)
            )
        )

    def clear_cookies(self) -> None:
        """Forget the session."""
        self.driver.delete_all_cookies()

    def evaluate(self, function: str, arg: Any = None) -> Any:
        """Run the JavaScript `function` of one argument in the page; return its result."""
        return self.driver.execute_script(f"return ({function})(arguments[0]);", arg)

    def screenshot(self, clip: Clip) -> bytes:
        """Return a PNG of `clip`, with the caret hidden."""
        scroll = self.evaluate("() => [window.scrollX, window.scrollY]")
        self.evaluate(HIDE_CARET)
        region = {**clip, "x": clip["x"] + scroll[0], "y": clip["y"] + scroll[1], "scale": 1}
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"clip": region})
        return base64.b64decode(shot["data"])

    def resize(self, width: int, height: int) -> None:
        """Set the viewport's size in CSS pixels."""
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)

    def viewport(self) -> dict[str, int]:
        """Return the viewport's size in CSS pixels."""
        return dict(self.evaluate("() => ({width: innerWidth, height: innerHeight})"))

    def park_mouse(self) -> None:
        """Move the mouse to the corner, off any element it would hover."""
        event = {"type": "mouseMoved", "x": 0, "y": 0}
        self.driver.execute_cdp_cmd("Input.dispatchMouseEvent", event)

    def speak(self, locale: str) -> None:
        """Send the Accept-Language of a resident who reads `locale`."""
        self.driver.execute_cdp_cmd(
            "Network.setExtraHTTPHeaders", {"headers": {"Accept-Language": accept_language(locale)}}
        )

    def url(self) -> str:
        """Return the current URL."""
        return str(self.driver.current_url)

    def main_text(self) -> str:
        """Return the text of main (or of the body where there is no main)."""
        return str(
            self.driver.execute_script(
                "return (document.querySelector('main') || document.body).innerText;"
            )
        )
