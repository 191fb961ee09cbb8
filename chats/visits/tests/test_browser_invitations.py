"""Real Chromium, real server: a rule invites a shopper with a full cart in their language, and an
agent who sees a visitor live invites them and chats with them once they accept."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connections
from playwright.sync_api import expect

from chats.tests.browser_pages import open_console_online, serve_demo_shop
from chats.visits.models import Invitation, InvitationAnswer, ProactiveRule
from clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def shop(asgi_servers):
    server = serve_demo_shop(asgi_servers, env={"VISIT_FLUSH_SECONDS": "0.5"})
    client = Client.objects.get(slug="demo-shop")
    client.tracks_visitors_before_chat = True
    client.save(update_fields=["tracks_visitors_before_chat"])
    ProactiveRule.objects.create(
        client=client,
        name="Full basket",
        min_seconds_on_page=3,
        min_cart_value=Decimal(50),
        invitation_texts="en: Need a hand with your basket?\nes: ¿Le ayudamos con su cesta?",
    )
    return server


def test_a_rule_invites_then_an_agent_invites_and_chats_with_the_visitor(shop, browser):
    console = open_console_online(browser, shop.url)
    visitor = browser.new_context(locale="es-ES").new_page()
    visitor.goto(f"{shop.url}/demo/")  # its basket holds 89 € (Relevo.setCart, called before widget.js loads)

    invitation = visitor.locator("[data-testid=invitation]")
    expect(invitation.locator("[data-testid=invitation-text]")).to_have_text(
        "¿Le ayudamos con su cesta?", timeout=15_000
    )
    visitor.click("[data-testid=invitation-decline]")
    expect(invitation).to_be_hidden()

    live = console.locator("[data-testid=visitor]")
    expect(live).to_have_count(1, timeout=10_000)
    expect(live).to_contain_text("Demo Shop")
    expect(live).to_contain_text("89")
    live.locator("[data-testid=invite]").click()
    expect(live).to_have_attribute("data-state", "invited")

    expect(invitation.locator("[data-testid=invitation-text]")).to_contain_text("Ana", timeout=10_000)
    visitor.click("[data-testid=invitation-accept]")
    expect(visitor.locator("[data-testid=status]")).to_contain_text("Ana", timeout=10_000)
    visitor.fill("[data-testid=input]", "¿Tienen la tetera en azul?")
    visitor.click("[data-testid=send]")

    expect(console.locator("[data-testid=chat-item]")).to_have_count(1, timeout=10_000)
    console.locator("[data-testid=chat-item]").click()
    expect(console.locator("[data-testid=pane]:visible")).to_contain_text("¿Tienen la tetera en azul?", timeout=10_000)
    expect(live).to_have_attribute("data-state", "chatting", timeout=10_000)
    answers = outside_playwright(lambda: list(Invitation.objects.values_list("agent__user__username", "answer")))
    answers.sort(key=str)
    assert answers == [("ana", InvitationAnswer.ACCEPTED), (None, InvitationAnswer.DECLINED)]


def outside_playwright(read):
    """The ORM refuses to run beside Playwright's event loop: read in a thread of its own."""

    def run():
        try:
            return read()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def untracked_shop(asgi_servers):
    return serve_demo_shop(asgi_servers)  # tracks_visitors_before_chat is off by default


def test_without_tracking_nothing_is_sent_before_the_chat_is_opened(untracked_shop, browser):
    server = untracked_shop
    visitor = browser.new_context().new_page()
    sockets = []
    visitor.on("websocket", lambda socket: sockets.append(socket.url))
    visitor.goto(f"{server.url}/demo/")
    expect(visitor.locator("[data-testid=launcher]")).to_be_visible()  # the widget is configured and running
    assert not [url for url in sockets if "/ws/visit/" in url]
    with visitor.expect_websocket(lambda socket: "/ws/visit/" in socket.url):
        visitor.click("[data-testid=launcher]")
