"""With nobody online the widget says one coherent thing: no agent is available, leave a message
(or keep waiting, knowing nobody is there), never "an agent will be with you shortly"."""

import pytest
from playwright.sync_api import expect

from clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def unstaffed_shop(asgi_servers):
    server = asgi_servers()
    Client.objects.create(name="Demo Shop", slug="demo-shop", allowed_origins=server.url)
    return server


def test_nobody_online_shows_the_no_agent_offer_and_no_place_in_line_promise(unstaffed_shop, browser):
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{unstaffed_shop.url}/demo/")
    page.click("[data-testid=launcher]")
    page.fill("[data-testid=input]", "Anyone there?")
    page.click("[data-testid=send]")
    page.locator("[data-testid=message][data-state=sent]", has_text="Anyone there?").wait_for(timeout=10_000)

    offer = page.locator("[data-testid=queue-offer]")
    expect(offer).to_be_visible(timeout=10_000)
    expect(offer).to_contain_text("No agent is available right now.")
    expect(page.locator("[data-testid=status]")).to_be_hidden()
    panel = page.locator("[data-testid=panel]")
    expect(panel).not_to_contain_text("will be with you shortly", use_inner_text=True)

    page.click("[data-testid=queue-keep]")
    status = page.locator("[data-testid=status]")
    expect(status).to_have_text("No agent is available right now. You are number 1 in line.", use_inner_text=True)
    expect(panel).not_to_contain_text("will be with you shortly", use_inner_text=True)
