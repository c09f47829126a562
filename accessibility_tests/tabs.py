"""The walker's tab, implemented for Playwright and for Selenium."""

from __future__ import annotations

from collections.abc import Mapping

from playwright.sync_api import Page
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from accessibility_tests.toolchain import script

TIMEOUT_SECONDS = 15
#: how often to ask whether the next page has loaded (Selenium's default, 0.5 s, idles)
POLL_SECONDS = 0.02
#: true once the page marked before pressing a button has been replaced and has loaded
NEW_PAGE_LOADED = "return !window.__a11yLeaving && document.readyState === 'complete';"


def page_function(name: str) -> str:
    """Return js/`name` as a function of one argument, with the shared helpers defined."""
    return f"(arg) => {{ {script('describe.js')}\nreturn ({script(name)})(arg); }}"


def accept_language(locale: str) -> str:
    """Return the Accept-Language header of a browser set to `locale` (e.g. zh_Hans → zh-Hans)."""
    return locale.replace("_", "-")


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

    def url(self) -> str:
        """Return the current URL."""
        return self.page.url

    def main_text(self) -> str:
        """Return the text of main (or of the body where there is no main)."""
        return str(
            self.page.evaluate("(document.querySelector('main') || document.body).innerText")
        )


class SeleniumTab:
    """A Selenium-driven chromium window."""

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    def open(self, path: str) -> None:
        """Load `path`."""
        self.driver.get(self.base_url + path)

    def submit(self, button: str) -> None:
        """Press `button` and wait until the next page has loaded."""
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

    def speak(self, locale: str) -> None:
        """Send the Accept-Language of a resident who reads `locale`."""
        self.driver.execute_cdp_cmd("Network.enable", {})
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
