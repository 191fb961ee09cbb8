"""Real Chromium: the pre-chat form holds the chat until its required fields are filled; with
nobody online the queued visitor is offered to leave a message at once, and what they typed in
the chat reaches the client as a lead."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import expect

from chats.leads.models import Lead
from chats.leads.tests.lead_factories import make_pre_chat_form
from clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def unstaffed_shop(asgi_servers):
    server = asgi_servers()
    client = Client.objects.create(name="Demo Shop", slug="demo-shop", allowed_origins=server.url)
    make_pre_chat_form(client, consent_text="We use your email only to answer you.")
    return server


def stored_leads() -> list[Lead]:
    def read():
        try:
            return list(Lead.objects.order_by("pk"))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:  # the ORM refuses to run beside Playwright's event loop
        return pool.submit(read).result()


def test_the_pre_chat_form_then_the_queue_offer_turns_the_chat_into_a_lead(unstaffed_shop, browser):
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{unstaffed_shop.url}/demo/")
    page.click("[data-testid=launcher]")
    expect(page.locator("[data-testid=prechat]")).to_contain_text("We use your email only to answer you.")

    page.fill("[data-testid=input]", "Do you ship vases to Valencia?")
    page.click("[data-testid=send]")
    expect(page.locator("[data-testid=prechat-error]")).to_be_visible()
    expect(page.locator("[data-testid=message]")).to_have_count(0)

    page.fill("[data-testid=prechat-email]", "maria@example.com")
    page.check("[data-testid=prechat-consent]")
    page.click("[data-testid=send]")
    page.locator("[data-testid=message][data-state=sent]", has_text="Valencia").wait_for(timeout=10_000)

    offer = page.locator("[data-testid=queue-offer]")
    expect(offer).to_be_visible(timeout=10_000)
    page.click("[data-testid=queue-leave]")
    expect(page.locator("[data-testid=queue-email]")).to_have_value("maria@example.com")
    page.fill("[data-testid=queue-message]", "Call me after 5.")
    page.check("[data-testid=queue-consent]")
    page.click("[data-testid=queue-submit]")
    expect(page.locator("[data-testid=queue-thanks]")).to_be_visible(timeout=10_000)

    [lead] = stored_leads()  # the pre-chat form's lead, completed by the message: one lead per chat
    assert (lead.source, lead.email, lead.has_consent) == ("pre_chat", "maria@example.com", True)
    assert lead.message == "Do you ship vases to Valencia?\nCall me after 5."
