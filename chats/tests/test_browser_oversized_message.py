"""A megabyte pasted into the widget (issue 21, item 18): with the production server options
(`--ws-max-size 65536`, as conftest's AsgiServer starts uvicorn) the visitor gets the too-long
error, keeps the text and the chat, and the next message is delivered (real Chromium, real server)."""

import pytest
from playwright.sync_api import expect

from chats.models import Message
from chats.tests.browser_pages import open_console_online, outside_the_event_loop, serve_demo_shop, visitor_says

pytestmark = [pytest.mark.browser, pytest.mark.server]

MEGABYTE = 1 << 20


def paste_a_megabyte(visitor) -> None:
    visitor.locator("[data-testid=input]").evaluate(f"(node) => {{ node.value = 'y'.repeat({MEGABYTE}); }}")
    visitor.click("[data-testid=send]")


def the_chat_goes_on(visitor, console) -> None:
    visitor.fill("[data-testid=input]", "Still there?")
    visitor.click("[data-testid=send]")
    visitor.locator("[data-testid=message][data-state=sent]", has_text="Still there?").wait_for(timeout=15_000)
    expect(console.locator("[data-testid=pane]:visible")).to_contain_text("Still there?", timeout=10_000)
    bodies = outside_the_event_loop(
        lambda: list(Message.objects.filter(sender="visitor").order_by("seq").values_list("body", flat=True))
    )
    assert bodies == ["Hello", "Still there?"]


@pytest.fixture
def demo(asgi_servers):
    return serve_demo_shop(asgi_servers)


@pytest.fixture
def misconfigured_demo(asgi_servers):
    """A server whose body limit is above its socket's frame limit: the widget sends, uvicorn closes 1009."""
    return serve_demo_shop(asgi_servers, env={"CHAT_MAX_BODY_CHARS": str(2 * MEGABYTE)})


def test_the_widget_refuses_a_body_over_the_limit_and_keeps_the_text(demo, browser):
    console = open_console_online(browser, demo.url)
    visitor = visitor_says(browser, f"{demo.url}/demo/", "Hello")
    console.locator("[data-testid=chat-item]").first.click()

    paste_a_megabyte(visitor)
    expect(visitor.locator("[data-testid=send-error]")).to_have_text("A message may have at most 4000 characters.")
    assert visitor.locator("[data-testid=input]").evaluate("(node) => node.value.length") == MEGABYTE
    expect(visitor.locator("[data-testid=message].v")).to_have_count(1)  # only "Hello"
    the_chat_goes_on(visitor, console)
    expect(visitor.locator("[data-testid=send-error]")).to_be_hidden()


def test_a_1009_close_brings_the_text_back_with_the_error_and_the_chat_resumes(misconfigured_demo, browser):
    console = open_console_online(browser, misconfigured_demo.url)
    visitor = visitor_says(browser, f"{misconfigured_demo.url}/demo/", "Hello")
    console.locator("[data-testid=chat-item]").first.click()

    paste_a_megabyte(visitor)
    expect(visitor.locator("[data-testid=send-error]")).to_have_text(
        "This message is too long to send. Please shorten it.", timeout=15_000
    )
    assert visitor.locator("[data-testid=input]").evaluate("(node) => node.value.length") == MEGABYTE
    expect(visitor.locator("[data-testid=message].v")).to_have_count(1)  # only "Hello"
    the_chat_goes_on(visitor, console)
