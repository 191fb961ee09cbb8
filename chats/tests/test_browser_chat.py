"""The core chat flow in a real headless Chromium: the widget on the demo page,
the agent console in another browser context, against a real ASGI server."""

import pytest
from playwright.sync_api import expect

from chats.tests.browser_pages import open_console_online, serve_demo_shop

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def demo(asgi_servers):
    return serve_demo_shop(asgi_servers)


def test_a_visitor_and_an_agent_chat_in_real_browsers(demo, browser):
    base = demo.url
    console = open_console_online(browser, base)

    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/demo/")
    visitor.click("[data-testid=launcher]")
    visitor.fill("[data-testid=input]", "Hello, do you ship to <b>Valencia</b>?")
    visitor.click("[data-testid=send]")
    own = visitor.locator("[data-testid=message][data-state=sent]", has_text="Valencia")
    expect(own).to_have_count(1, timeout=10_000)
    expect(own).to_contain_text("<b>Valencia</b>")  # shown as text, never as markup

    console.locator("[data-testid=chat-item]").first.click()
    pane = console.locator("[data-testid=pane]:visible")
    expect(pane).to_contain_text("<b>Valencia</b>", timeout=10_000)
    console.fill("[data-testid=pane]:visible [data-testid=composer]", "Yes, in 48 hours.")
    console.click("[data-testid=pane]:visible [data-testid=send]")

    expect(visitor.locator("[data-testid=messages]")).to_contain_text("Yes, in 48 hours.", timeout=10_000)

    visitor.reload()
    visitor.wait_for_selector("[data-testid=panel]:visible, [data-testid=launcher]:visible")
    if not visitor.locator("[data-testid=panel]").is_visible():
        visitor.click("[data-testid=launcher]")
    history = visitor.locator("[data-testid=messages]")
    expect(history).to_contain_text("<b>Valencia</b>", timeout=10_000)
    expect(history).to_contain_text("Yes, in 48 hours.")
    expect(visitor.locator("[data-testid=message]", has_text="Yes, in 48 hours.")).to_have_count(1)

    console.on("dialog", lambda dialog: dialog.accept())
    console.click("[data-testid=pane]:visible [data-testid=close-chat]")
    expect(visitor.locator("[data-testid=new-chat]")).to_be_visible(timeout=10_000)
