"""The escalation round trip in real browsers: an agent escalates a visitor's question from the console
and closes the chat; the client's representative answers it in the portal; the answer is emailed to the
visitor (a real server with the file email backend and eager Celery)."""

import email
import re
import time
from email import policy
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from agency.models import Agent
from chats.tests.browser_pages import log_in, outside_the_event_loop, visitor_says
from clients.models import Client, Representative
from reports.models import DEFAULT_CATEGORIES, Escalation, EscalationStatus

pytestmark = [pytest.mark.browser, pytest.mark.server]
QUESTION = "My email is maria@example.com. Can I return a vase after 60 days?"
ANSWER = "Yes, within 90 days if the vase is unused. Keep the receipt."


@pytest.fixture
def outbox(tmp_path) -> Path:
    return tmp_path / "sent-emails"


@pytest.fixture
def shop(asgi_servers, outbox):
    server = asgi_servers(
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(outbox),
            "CELERY_EAGER": "1",
        }
    )
    client = Client.objects.create(name="Demo Shop", slug="demo-shop", allowed_origins=server.url, is_24_7=True)
    users = get_user_model().objects
    Agent.objects.create(user=users.create_user("ana", password="demo-pass-1", first_name="Ana")).clients.add(client)
    olga = users.create_user("olga", password="demo-pass-2", email="olga@demo-shop.example", first_name="Olga")
    Representative.objects.create(user=olga, client=client, subscribed_categories=list(DEFAULT_CATEGORIES))
    return server


def only_escalation() -> Escalation:
    return outside_the_event_loop(lambda: Escalation.objects.get())


def sent_emails(outbox: Path) -> list:
    """Every message the file backend wrote (several per file, separated by a line of dashes)."""
    messages = []
    for path in sorted(outbox.glob("*.log")) if outbox.exists() else []:
        for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip() + "\n", policy=policy.default))
    return messages


def wait_for_email_to(outbox: Path, address: str, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in sent_emails(outbox):
            if address in str(message["To"]):
                return message
        time.sleep(0.2)
    raise AssertionError(f"no email to {address}; sent: {[str(m['To']) for m in sent_emails(outbox)]}")


def agent_escalates_the_picked_question(console, pane) -> int:
    """The agent picks the visitor's question, escalates it as an urgent refund; returns its seq."""
    console.locator("[data-testid=chat-item]").first.click()
    question = pane.locator("[data-testid=message]", has_text="return a vase")
    question.click()
    expect(question).to_have_class(re.compile("is-picked"))
    source_seq = int(question.get_attribute("data-seq"))
    pane.locator("[data-testid=escalate]").click()
    form = pane.locator("[data-testid=escalation-form]")
    expect(form.locator("[data-testid=escalation-question]")).to_have_value(QUESTION)
    form.locator("[data-testid=escalation-category]").select_option("refund")
    form.locator("[data-testid=escalation-urgency]").select_option("urgent")
    form.locator("[data-testid=escalation-note]").fill("Bought last spring.")
    form.locator("[data-testid=escalation-submit]").click()
    expect(pane.locator("[data-testid=escalation-item]")).to_contain_text("return a vase")
    expect(form).to_be_hidden()
    return source_seq


def representative_answers_in_the_portal(browser, base: str) -> None:
    portal = browser.new_context().new_page()
    log_in(portal, base, "olga", "demo-pass-2", next_path="/portal/")
    row = portal.locator("tr.escalation", has_text="return a vase")
    expect(row).to_contain_text("Urgent")
    row.get_by_role("link", name="View report").click()
    portal.fill("textarea[name=answer]", ANSWER)
    portal.get_by_role("button", name="Send the answer to the visitor").click()
    expect(portal.locator("blockquote.answer")).to_contain_text(ANSWER)


def test_an_escalated_question_is_answered_in_the_portal_and_emailed_to_the_visitor(shop, outbox, browser):  # noqa: F811
    base = shop.url
    console = browser.new_context().new_page()
    log_in(console, base, "ana", "demo-pass-1")
    console.select_option("[data-testid=presence]", "online")
    expect(console.locator("[data-testid=connection-banner]")).to_be_hidden()
    visitor = visitor_says(browser, f"{base}/demo/", QUESTION)

    pane = console.locator("[data-testid=pane]:visible")
    source_seq = agent_escalates_the_picked_question(console, pane)
    expect(visitor.locator("[data-testid=messages]")).to_contain_text("maria@example.com", timeout=10_000)
    escalation = only_escalation()
    assert escalation.source_seq == source_seq and escalation.urgency == "urgent" and escalation.category == "refund"

    console.on("dialog", lambda dialog: dialog.accept())
    pane.locator("[data-testid=close-chat]").click()
    expect(visitor.locator("[data-testid=new-chat]")).to_be_visible(timeout=10_000)

    representative_answers_in_the_portal(browser, base)

    answer_email = wait_for_email_to(outbox, "maria@example.com")
    body = answer_email.get_body(preferencelist=("plain",)).get_content()
    assert ANSWER in body
    escalation = only_escalation()
    assert escalation.status == EscalationStatus.ANSWERED
