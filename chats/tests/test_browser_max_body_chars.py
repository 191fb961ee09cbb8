"""The widget and the console take the message limit from the server, not from a number of their own."""

import pytest
from playwright.sync_api import expect

from chats.tests.browser_pages import open_console_online, serve_demo_shop, visitor_says

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def demo(asgi_servers):
    return serve_demo_shop(asgi_servers, env={"CHAT_MAX_BODY_CHARS": "40"})


def test_the_widget_and_the_console_use_the_servers_limit(demo, browser):
    console = open_console_online(browser, demo.url)
    visitor = visitor_says(browser, f"{demo.url}/demo/", "Hello")
    expect(visitor.locator("[data-testid=input]")).to_have_attribute("maxlength", "40")

    console.locator("[data-testid=chat-item]").first.click()
    composer = console.locator("[data-testid=pane]:visible [data-testid=composer]")
    expect(composer).to_have_attribute("maxlength", "40")
    composer.evaluate("(node) => { node.value = 'y'.repeat(41); }")  # pasted past the attribute
    console.click("[data-testid=pane]:visible [data-testid=send]")
    failed = console.locator("[data-testid=pane]:visible [data-testid=message][data-state=failed]")
    # The console's own refusal (the server's would say "at most 40 characters"): nothing was sent.
    expect(failed).to_contain_text("This message is too long to send.", timeout=10_000)
