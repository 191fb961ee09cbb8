"""A chat ends, the visitor rates it in the widget, and the rating reaches the agent's console
live and the client's portal (real Chromium, a real server)."""
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from chats.tests.browser_pages import log_in, open_console_online, serve_demo_shop, visitor_says
from clients.models import Client, Representative, RepresentativeRole

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def demo(asgi_servers):
    server = serve_demo_shop(asgi_servers)
    owner = get_user_model().objects.create_user("olga", password="demo-pass-2", first_name="Olga")
    Representative.objects.create(user=owner, client=Client.objects.get(slug="demo-shop"),
                                  role=RepresentativeRole.OWNER)
    return server


def test_the_visitor_rates_the_ended_chat_and_agent_and_owner_see_it(demo, browser):
    base = demo.url
    console = open_console_online(browser, base)
    visitor = visitor_says(browser, f"{base}/demo/", "Do you ship to Valencia?")

    console.locator("[data-testid=chat-item]").first.click()
    console.on("dialog", lambda dialog: dialog.accept())
    console.click("[data-testid=pane]:visible [data-testid=close-chat]")

    rating = visitor.locator("[data-testid=rating-form]")
    expect(rating).to_be_visible(timeout=10_000)
    rating.locator("[data-score='4']").click()
    visitor.fill("[data-testid=rating-comment]", "Quick and kind")
    visitor.click("[data-testid=rating-submit]")
    expect(rating).to_contain_text("Thank you for your rating!", timeout=10_000)

    shown = console.locator("[data-testid=rating]")
    expect(shown).to_contain_text("4 out of 5", timeout=10_000)
    expect(shown).to_contain_text("Quick and kind")

    portal = browser.new_context().new_page()
    log_in(portal, base, "olga", "demo-pass-2", next_path="/portal/quality/")
    expect(portal.locator("#latest-ratings")).to_contain_text("Quick and kind")
    expect(portal.locator("#csat")).to_have_text("100.0 %")
    portal.goto(f"{base}/portal/dashboard/")
    expect(portal.locator("#dashboard-csat")).to_contain_text("100.0 %")
