"""An agent who types a card number sees it masked at once, in the bubble and in the
chat list's preview, as the visitor does (the ack carries the text as stored)."""

import pytest
from playwright.sync_api import expect

from chats.tests.browser_pages import open_console_online, serve_demo_shop, visitor_says

pytestmark = [pytest.mark.browser, pytest.mark.server]

MASKED = "4111 11•• •••• 1111"


@pytest.fixture
def demo(asgi_servers):
    return serve_demo_shop(asgi_servers)


def test_the_agents_own_card_number_is_masked_in_the_bubble_and_preview_without_reload(demo, browser):
    console = open_console_online(browser, demo.url)
    visitor_says(browser, f"{demo.url}/demo/", "Can you pay for me?")

    console.locator("[data-testid=chat-item]").first.click()
    console.fill("[data-testid=pane]:visible [data-testid=composer]", "Use 4111 1111 1111 1111 then")
    console.click("[data-testid=pane]:visible [data-testid=send]")

    bubble = console.locator("[data-testid=pane]:visible [data-testid=message][data-state=sent]", has_text="Use ")
    expect(bubble).to_contain_text(f"Use {MASKED} then", timeout=10_000)
    expect(bubble).not_to_contain_text("4111 1111 1111 1111")
    preview = console.locator("[data-testid=chat-item] .chat-item-preview").first
    expect(preview).to_contain_text(MASKED)
    expect(preview).not_to_contain_text("4111 1111 1111 1111")
