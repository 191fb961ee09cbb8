"""The agent records the visitor's contact on the lead card during the chat; it is stored as the
chat's lead (real Chromium, real server)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import expect

from chats.leads.models import Lead
from chats.tests.browser_pages import open_console_online, serve_demo_shop, visitor_says

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def demo(asgi_servers):
    return serve_demo_shop(asgi_servers)


def stored_lead() -> Lead:
    def read():
        try:
            return Lead.objects.get()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:  # the ORM refuses to run beside Playwright's event loop
        return pool.submit(read).result()


def test_the_agent_saves_the_visitors_contact_on_the_lead_card(demo, browser):
    console = open_console_online(browser, demo.url)
    visitor_says(browser, f"{demo.url}/demo/", "Call me on +48 600 100 200 about the tea set")

    console.locator("[data-testid=chat-item]").first.click()
    pane = "[data-testid=pane]:visible "
    console.click(pane + "[data-testid=lead-card-toggle]")
    console.fill(pane + "[data-testid=lead-name]", "Maria")
    console.fill(pane + "[data-testid=lead-phone]", "+48 600 100 200")
    console.check(pane + "[data-testid=lead-consent]")
    console.click(pane + "[data-testid=lead-submit]")
    expect(console.locator(pane + "[data-testid=lead-status]")).to_have_text("Lead saved.", timeout=10_000)

    lead = stored_lead()
    assert (lead.source, lead.name, lead.phone, lead.has_consent) == ("lead_card", "Maria", "+48 600 100 200", True)
