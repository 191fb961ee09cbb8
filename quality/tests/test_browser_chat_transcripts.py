"""A chat nobody escalated opens as a transcript (real Chromium, a real server): the owner clicks it in
"All chats" and in the portal's search; the agent clicks it in the console's history search."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from agency.models import Agent, Presence
from chats import services as chat_services
from chats.models import SenderKind
from chats.tests.browser_pages import ANA_PASSWORD, log_in, serve_demo_shop
from clients.models import Client, Representative, RepresentativeRole

pytestmark = [pytest.mark.browser, pytest.mark.server]
OWNER_PASSWORD = "demo-pass-2"
QUESTION = "Do you deliver parcels to Valencia?"
NOTE = "Internal: asked the warehouse"


@pytest.fixture
def closed_chat(asgi_servers):
    server = serve_demo_shop(asgi_servers)
    shop = Client.objects.get(slug="demo-shop")
    owner = get_user_model().objects.create_user("olga", password=OWNER_PASSWORD)
    Representative.objects.create(user=owner, client=shop, role=RepresentativeRole.OWNER)
    Agent.objects.update(presence=Presence.ONLINE, last_seen_at=timezone.now())  # so the chat is hers
    ana = Agent.objects.get()
    conversation = chat_services.start_conversation(client=shop, name="Maria", visitor_connected=True).conversation
    chat_services.post_message(
        conversation_id=conversation.pk, sender=SenderKind.VISITOR, body=QUESTION, client_id=None
    )
    for body, internal in ((NOTE, True), ("Yes, in two days.", False)):
        chat_services.post_message(
            conversation_id=conversation.pk,
            sender=SenderKind.AGENT,
            body=body,
            client_id=None,
            agent=ana,
            internal=internal,
        )
    chat_services.close_conversation(conversation_id=conversation.pk, agent=ana)
    server.conversation_id = conversation.pk
    return server


def expect_transcript(page, conversation_id: int, *, with_note: bool) -> None:
    expect(page.locator("#chat h1")).to_contain_text(f"#{conversation_id}")
    transcript = page.locator("ol.transcript")
    expect(transcript).to_contain_text(QUESTION)
    expect(transcript).to_contain_text("Yes, in two days.")
    if with_note:
        expect(transcript.locator(".message.internal")).to_contain_text(NOTE)
    else:
        expect(transcript).not_to_contain_text(NOTE)


def test_the_owner_opens_a_chat_from_all_chats_and_from_search(closed_chat, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, closed_chat.url, "olga", OWNER_PASSWORD, next_path="/portal/dashboard/")
    page.locator("a.kpi[href^='/portal/conversations/']:not([href*=measure])").first.click()  # the chats
    expect(page.locator("h1")).to_have_text("All chats")
    page.locator("[data-testid=chat-link]").first.click()
    page.wait_for_url(re.compile(rf".*/portal/chats/{closed_chat.conversation_id}/$"))
    expect_transcript(page, closed_chat.conversation_id, with_note=False)

    page.goto(f"{closed_chat.url}/portal/quality/")
    page.fill("input[name=q]", "Valencia")
    page.press("input[name=q]", "Enter")
    page.locator("[data-testid=search-result]").first.click()
    page.wait_for_url(re.compile(rf".*/portal/chats/{closed_chat.conversation_id}/#m\d+$"))
    expect_transcript(page, closed_chat.conversation_id, with_note=False)


def test_the_agent_opens_a_console_search_result_as_the_chats_history(closed_chat, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = context.new_page()
    log_in(console, closed_chat.url, "ana", ANA_PASSWORD)
    console.fill("[data-testid=history-search]", "Valencia")
    console.press("[data-testid=history-search]", "Enter")
    with context.expect_page() as opened:
        console.locator("[data-testid=history-result-link]").first.click()
    history = opened.value
    history.wait_for_load_state()
    assert re.search(rf"/console/chats/{closed_chat.conversation_id}/#m\d+$", history.url)
    expect_transcript(history, closed_chat.conversation_id, with_note=True)
