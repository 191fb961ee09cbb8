"""What the browser specs share: a headless Debian Chromium and the steps every persona takes."""
import re

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def log_in(page, base_url: str, username: str, password: str, next_path: str = "/console/") -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(".*" + re.escape(next_path) + "$"))


def visitor_says(browser, url: str, text: str):
    """A new visitor opens the widget on `url` and sends `text`; returns their page once it is stored."""
    page = browser.new_context().new_page()
    page.goto(url)
    page.click("[data-testid=launcher]")
    page.fill("[data-testid=input]", text)
    page.click("[data-testid=send]")
    page.locator("[data-testid=message][data-state=sent]", has_text=text).wait_for(timeout=10_000)
    return page
