"""The widget and the console take the message limit from the server, not from a number of their own."""
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from agency.models import Agent
from chats.tests.browser_pages import log_in, visitor_says
from clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def demo(asgi_servers):
    server = asgi_servers(env={"CHAT_MAX_BODY_CHARS": "40"})
    client = Client.objects.create(name="Demo Shop", slug="demo-shop", allowed_origins=server.url)
    user = get_user_model().objects.create_user("ana", password="demo-pass-1", first_name="Ana")
    Agent.objects.create(user=user).clients.add(client)
    return server


def test_the_widget_and_the_console_use_the_servers_limit(demo, browser):
    console = browser.new_context().new_page()
    log_in(console, demo.url, "ana", "demo-pass-1")
    console.select_option("[data-testid=presence]", "online")
    expect(console.locator("[data-testid=connection-banner]")).to_be_hidden()
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
