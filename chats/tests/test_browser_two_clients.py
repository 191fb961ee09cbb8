"""An agent serving two clients sees, beside each chat, that chat's client's briefing and canned replies,
and a canned reply inserted into one chat reaches that chat's visitor only (real Chromium, real server)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from agency.models import Agent
from chats.tests.browser_pages import log_in, visitor_says
from clients.models import Briefing, CannedReply, Client

pytestmark = [pytest.mark.browser, pytest.mark.server]


def make_shop(name: str, slug: str, origin: str, *, may_answer: str, replies: list[tuple[str, str, str]]) -> Client:
    client = Client.objects.create(name=name, slug=slug, allowed_origins=origin, is_24_7=True)
    Briefing.objects.create(client=client, may_answer=may_answer, may_not_answer="Refunds", tone="Friendly")
    for shortcut, title, body in replies:
        CannedReply.objects.create(client=client, shortcut=shortcut, title=title, body=body)
    return client


@pytest.fixture
def two_shops(asgi_servers):
    server = asgi_servers()
    demo = make_shop(
        "Demo Shop",
        "demo-shop",
        server.url,
        may_answer="Ceramics, glazes and gift wrapping.",
        replies=[
            ("/ship", "Shipping", "Demo Shop ships in 48 hours."),
            ("/wrap", "Gift wrap", "We gift-wrap for free."),
        ],
    )
    kowalski = make_shop(
        "Sklep Kowalski",
        "sklep-kowalski",
        server.url,
        may_answer="Garden tools and drills.",
        replies=[
            ("/ship", "Wysyłka", "Kowalski wysyła w 24 godziny."),
            ("/hours", "Godziny", "Otwarte 8–20."),
            ("/drill", "Wiertarki", "Wiertarki mają 2 lata gwarancji."),
        ],
    )
    user = get_user_model().objects.create_user("ana", password="demo-pass-1", first_name="Ana")
    Agent.objects.create(user=user).clients.add(demo, kowalski)
    return server


def open_chat_of(console, client_name: str) -> None:
    console.locator("[data-testid=chat-item]", has_text=client_name).click()
    expect(console.locator("[data-testid=briefing] [data-testid=briefing-client]")).to_have_text(client_name)


def insert_canned_reply(console, typed: str) -> None:
    composer = console.locator("[data-testid=pane]:visible [data-testid=composer]")
    composer.fill("")
    composer.press_sequentially(typed)
    expect(console.locator("[data-testid=pane]:visible [data-testid=canned-list]")).to_be_visible()


def kowalskis_chat_shows_only_its_briefing_and_three_replies(console, briefing, items) -> None:
    open_chat_of(console, "Sklep Kowalski")
    expect(briefing).to_contain_text("Garden tools and drills.")
    expect(briefing).not_to_contain_text("Ceramics")
    insert_canned_reply(console, "/")
    expect(items).to_have_count(3)
    expect(console.locator("[data-testid=pane]:visible [data-testid=canned-list]")).not_to_contain_text("Demo Shop")
    console.keyboard.press("Escape")


def demo_shops_chat_sends_its_shipping_reply_by_keyboard(console, briefing, items, ceramics) -> None:
    open_chat_of(console, "Demo Shop")
    expect(briefing).to_contain_text("Ceramics, glazes and gift wrapping.")
    expect(briefing).not_to_contain_text("Garden tools")
    insert_canned_reply(console, "/")
    expect(items).to_have_count(2)
    insert_canned_reply(console, "/sh")
    expect(items).to_have_count(1)
    expect(items).to_contain_text("Demo Shop ships in 48 hours.")
    console.keyboard.press("Enter")
    composer = console.locator("[data-testid=pane]:visible [data-testid=composer]")
    expect(composer).to_have_value("Demo Shop ships in 48 hours.")
    console.keyboard.press("Enter")
    expect(ceramics.locator("[data-testid=messages]")).to_contain_text("Demo Shop ships in 48 hours.", timeout=10_000)


def test_each_chat_shows_its_own_clients_briefing_and_canned_replies(two_shops, browser):  # noqa: F811
    base = two_shops.url
    console = browser.new_context().new_page()
    log_in(console, base, "ana", "demo-pass-1")
    console.select_option("[data-testid=presence]", "online")
    expect(console.locator("[data-testid=connection-banner]")).to_be_hidden()

    ceramics = visitor_says(browser, f"{base}/demo/", "Do you ship vases?")
    garden = visitor_says(browser, f"{base}/demo/kowalski/", "Czy macie wiertarki?")
    expect(console.locator("[data-testid=chat-item]")).to_have_count(2, timeout=10_000)
    briefing = console.locator("[data-testid=briefing]")
    items = console.locator("[data-testid=pane]:visible [data-testid=canned-item]")
    kowalskis_chat_shows_only_its_briefing_and_three_replies(console, briefing, items)
    demo_shops_chat_sends_its_shipping_reply_by_keyboard(console, briefing, items, ceramics)

    open_chat_of(console, "Sklep Kowalski")
    insert_canned_reply(console, "/dri")
    console.locator("[data-testid=pane]:visible [data-testid=canned-item]", has_text="Wiertarki").click()
    composer = console.locator("[data-testid=pane]:visible [data-testid=composer]")
    expect(composer).to_have_value("Wiertarki mają 2 lata gwarancji.")
    console.click("[data-testid=pane]:visible [data-testid=send]")
    expect(garden.locator("[data-testid=messages]")).to_contain_text("2 lata gwarancji", timeout=10_000)
    expect(garden.locator("[data-testid=messages]")).not_to_contain_text("48 hours")
    expect(ceramics.locator("[data-testid=messages]")).not_to_contain_text("gwarancji")
