"""The chat header at 1280×720 in every language: each action button can be clicked (Playwright's click
fails when another element would receive it) and none covers the visitor's name, which is truncated
with its whole text in a tooltip (real Chromium, real server)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agency.models import Agent, Presence
from chats import services
from chats.tests.browser_pages import ANA_PASSWORD, log_in, outside_the_event_loop, serve_demo_shop
from clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.server]
VISITOR = "Maria Konstantynopolitańczykowianeczka-Wierzbicka"
HEADER_BUTTONS = [
    "transfer",
    "escalate",
    "feedback",
    "lead-card-toggle",
    "offer-voice-call",
    "offer-video-call",
    "close-chat",
]


@pytest.fixture
def chat_for_ana(asgi_servers):
    server = serve_demo_shop(asgi_servers)

    def start():
        Client.objects.update(is_24_7=True)
        Agent.objects.update(presence=Presence.ONLINE, last_seen_at=timezone.now())
        started = services.start_conversation(
            client=Client.objects.get(),
            name=VISITOR,
            email="maria.konstantynopolitanczykowianeczka@example.com",
            visitor_connected=True,
        )
        assert started.conversation.agent_id is not None

    outside_the_event_loop(start)
    return server


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("language", ["en", "es", "pl"])
def test_every_header_button_is_clickable_and_leaves_the_visitors_name_visible(chat_for_ana, browser, language):
    console = browser.new_context(locale=language, viewport={"width": 1280, "height": 720}).new_page()
    log_in(console, chat_for_ana.url, "ana", ANA_PASSWORD)
    assert console.locator("html").get_attribute("lang") == language
    console.locator("[data-testid=chat-item]").first.click()
    pane = console.locator("[data-testid=pane]:visible")
    name = pane.locator(".pane-visitor")
    expect(name).to_have_attribute("title", VISITOR)
    name_box = name.bounding_box()
    assert name_box["width"] >= 120, f"the name is squeezed to {name_box['width']} px"
    console.on("dialog", lambda dialog: dialog.accept())
    for testid in HEADER_BUTTONS:
        button = pane.locator(f"[data-testid={testid}]")
        box = button.bounding_box()
        assert box is not None and not overlaps(box, name_box), f"{testid} covers the visitor's name"
        assert box["x"] + box["width"] <= 1280, f"{testid} is off the screen"
        button.click(timeout=5_000)
    expect(pane.locator("[data-testid=close-chat]")).to_be_hidden(timeout=10_000)
