"""The steps every persona takes in the browser specs (the `browser` fixture is in conftest.py)."""
import re


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
