"""Every time shown says its zone (issue 21's review): a message's time in the widget and in the agent
console carries the zone of the reader's browser, named as the browser names it ("2:05 PM EST")."""

import re

import pytest
from playwright.sync_api import expect

from chats.tests.browser_pages import ANA_PASSWORD, log_in, serve_demo_shop

pytestmark = [pytest.mark.browser, pytest.mark.server]

NEW_YORK = {"timezone_id": "America/New_York", "locale": "en-US"}
ZONED_CLOCK = re.compile(r"^\d{1,2}:\d{2}\s[AP]M E[SD]T$")  # en-US names New York's zone EST or EDT


@pytest.fixture
def demo(asgi_servers):
    return serve_demo_shop(asgi_servers)


def visitor_in_new_york_says(browser, base: str, text: str):
    visitor = browser.new_context(**NEW_YORK).new_page()
    visitor.goto(f"{base}/demo/")
    visitor.click("[data-testid=launcher]")
    visitor.fill("[data-testid=input]", text)
    visitor.click("[data-testid=send]")
    return visitor


def test_the_widget_names_the_zone_of_each_message_time(demo, browser):
    visitor = visitor_in_new_york_says(browser, demo.url, "What time is it there?")

    sent = visitor.locator("[data-testid=message][data-state=sent]", has_text="What time is it there?")
    expect(sent.locator(".meta")).to_have_text(ZONED_CLOCK, timeout=10_000)


def test_the_console_names_the_zone_of_each_message_time_and_of_the_chat_start(demo, browser):
    visitor_in_new_york_says(browser, demo.url, "Is anyone there?")
    console = browser.new_context(**NEW_YORK).new_page()
    log_in(console, demo.url, "ana", ANA_PASSWORD)
    console.select_option("[data-testid=presence]", "online")

    console.locator("[data-testid=chat-item]").first.click()
    message = console.locator("[data-testid=pane]:visible .message", has_text="Is anyone there?")
    expect(message.locator(".message-time")).to_have_text(ZONED_CLOCK, timeout=10_000)
    assert re.search(r" E[SD]T$", message.locator(".message-time").get_attribute("title"))
