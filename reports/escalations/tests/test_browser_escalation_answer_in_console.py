"""The client's answer reaches the agent's console in real browsers: the owner answers in the portal,
the console that escalated says so at once, and after a reload its recent chats still show the answer
and open the chat's history read-only (a real server, eager Celery)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from agency.models import Agent, Presence
from chats import services as chat_services
from chats.models import SenderKind
from chats.tests.browser_pages import log_in, outside_the_event_loop
from clients.models import Client, Representative
from reports.escalations import services
from reports.models import DEFAULT_CATEGORIES, Report
from reports.post_chat.services import build_report

pytestmark = [pytest.mark.browser, pytest.mark.server]
QUESTION = "Can I return a vase after 60 days?"
ANSWER = "Yes, within 90 days if the vase is unused."


@pytest.fixture
def escalated_and_ended(asgi_servers):
    """Ana escalated Maria's question and the chat ended; returns the server and the report's id."""
    server = asgi_servers(env={"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "CELERY_EAGER": "1"})

    def prepare() -> int:
        client = Client.objects.create(name="Demo Shop", slug="demo-shop", allowed_origins=server.url, is_24_7=True)
        users = get_user_model().objects
        ana = Agent.objects.create(
            user=users.create_user("ana", password="demo-pass-1", first_name="Ana"),
            presence=Presence.ONLINE,
            last_seen_at=timezone.now(),
        )
        ana.clients.add(client)
        olga = users.create_user("olga", password="demo-pass-2", email="olga@demo-shop.example", first_name="Olga")
        Representative.objects.create(user=olga, client=client, subscribed_categories=list(DEFAULT_CATEGORIES))
        chat = chat_services.start_conversation(
            client=client, name="Maria", email="maria@example.com", visitor_connected=True
        )
        conversation_id = chat.conversation.pk
        chat_services.post_message(
            conversation_id=conversation_id, sender=SenderKind.VISITOR, body=QUESTION, client_id=None
        )
        services.escalate_question(conversation_id=conversation_id, agent=ana, question=QUESTION, category="refund")
        chat_services.close_conversation(conversation_id=conversation_id, agent=ana)
        build_report(conversation_id=conversation_id)
        return Report.objects.get(conversation_id=conversation_id).pk

    return server, outside_the_event_loop(prepare)


def test_the_client_answers_and_the_agents_console_shows_it(escalated_and_ended, browser):
    server, report_id = escalated_and_ended
    console = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    log_in(console, server.url, "ana", "demo-pass-1")
    expect(console.locator("[data-testid=connection-banner]")).to_be_hidden()
    recent = console.locator("[data-testid=recent-chat]", has_text="Maria")
    expect(recent.locator("[data-testid=recent-state]")).to_have_text("Waiting for the client's answer.")

    portal = browser.new_context().new_page()
    log_in(portal, server.url, "olga", "demo-pass-2", next_path="/portal/")
    portal.goto(f"{server.url}/portal/reports/{report_id}/")
    portal.fill("textarea[name=answer]", ANSWER)
    portal.get_by_role("button", name="Send the answer to the visitor").click()
    expect(portal.locator("blockquote.answer")).to_contain_text(ANSWER)

    expect(console.locator("[data-testid=answer-notice]")).to_contain_text(ANSWER, timeout=10_000)
    expect(recent.locator("[data-testid=recent-answer]")).to_have_text(ANSWER)

    console.reload()
    recent = console.locator("[data-testid=recent-chat]", has_text="Maria")
    expect(recent.locator("[data-testid=recent-state]")).to_have_text("Answered by the client")
    expect(recent.locator("[data-testid=recent-answer]")).to_have_text(ANSWER)
    recent.click()
    pane = console.locator("[data-testid=pane]:visible")
    expect(pane.locator("[data-testid=message]", has_text=QUESTION)).to_be_visible()
    expect(pane.locator("[data-testid=escalation-answer]")).to_have_text(ANSWER)
    expect(pane.locator("[data-testid=composer]")).to_have_attribute("readonly", "")
    expect(pane.locator("[data-testid=close-chat]")).to_be_hidden()
