"""A chat ends, the visitor rates it in the widget, and the rating reaches the agent's console
live, the post-chat report, the client's portal and its webhook receiver (real Chromium, a real
server, a real HTTP receiver)."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from agency.models import Agent
from chats.models import Conversation
from chats.tests.browser_pages import (
    log_in,
    open_console_online,
    outside_the_event_loop,
    serve_demo_shop,
    visitor_says,
)
from clients.models import Client, Representative, RepresentativeRole
from clients.webhooks.tests.webhook_fixtures import make_endpoint, webhook_settings  # noqa: F401
from clients.webhooks.tests.webhook_receiver import receiver  # noqa: F401
from core.outbound.transports import webhook_signature
from reports.escalations import services as escalations
from reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def demo(asgi_servers, webhook_settings, receiver):  # noqa: F811
    server = serve_demo_shop(asgi_servers, env={"WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "1"})
    shop = Client.objects.get(slug="demo-shop")
    owner = get_user_model().objects.create_user("olga", password="demo-pass-2", first_name="Olga")
    Representative.objects.create(user=owner, client=shop, role=RepresentativeRole.OWNER)
    server.endpoint = make_endpoint(shop, receiver.url, events=["rating.created"])
    return server


def wait_for(find, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not (found := find()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def escalate_so_the_chat_has_a_report(conversation) -> None:
    outside_the_event_loop(
        lambda: escalations.escalate_question(
            conversation_id=conversation.pk,
            agent=Agent.objects.get(),
            question="Valencia?",
            category="other",
            urgency="normal",
            note="",
            source_seq=1,
        )
    )


def visitor_rates_four_with_a_comment(visitor) -> None:
    rating = visitor.locator("[data-testid=rating-form]")
    expect(rating).to_be_visible(timeout=10_000)
    rating.locator("[data-score='4']").click()
    visitor.fill("[data-testid=rating-comment]", "Quick and kind")
    visitor.click("[data-testid=rating-submit]")
    expect(rating).to_contain_text("Thank you for your rating!", timeout=10_000)


def the_webhook_receiver_got_the_signed_rating(receiver, endpoint) -> None:  # noqa: F811
    delivered = wait_for(receiver.delivered)
    assert [seen.event["type"] for seen in delivered] == ["rating.created"]
    event, headers = delivered[0].event, delivered[0].headers
    assert event["data"]["rating"]["score"] == 4 and event["data"]["rating"]["comment"] == "Quick and kind"
    stamp, signature = re.fullmatch(r"t=(\d+),v1=([0-9a-f]+)", headers["Relevo-Signature"]).groups()
    assert signature == webhook_signature(endpoint.secret, int(stamp), delivered[0].body)


def the_portal_shows_the_rating(browser, base: str, conversation) -> None:
    portal = browser.new_context().new_page()
    log_in(portal, base, "olga", "demo-pass-2", next_path="/portal/quality/")
    expect(portal.locator("#latest-ratings")).to_contain_text("Quick and kind")
    expect(portal.locator("#csat")).to_have_text("100.0 %")
    portal.goto(f"{base}/portal/dashboard/")
    expect(portal.locator("#dashboard-csat")).to_contain_text("100.0 %")
    report = wait_for(lambda: outside_the_event_loop(lambda: Report.objects.filter(conversation=conversation).first()))
    portal.goto(f"{base}/portal/reports/{report.pk}/")
    expect(portal.locator("#rating")).to_contain_text("4/5")
    expect(portal.locator("#rating")).to_contain_text("Quick and kind")


def test_the_visitor_rates_the_ended_chat_and_it_reaches_console_report_portal_and_webhook(demo, receiver, browser):  # noqa: F811
    base = demo.url
    console = open_console_online(browser, base)
    visitor = visitor_says(browser, f"{base}/demo/", "Do you ship to Valencia?")

    console.locator("[data-testid=chat-item]").first.click()
    conversation = outside_the_event_loop(lambda: Conversation.objects.get())
    escalate_so_the_chat_has_a_report(conversation)
    console.on("dialog", lambda dialog: dialog.accept())
    console.click("[data-testid=pane]:visible [data-testid=close-chat]")

    visitor_rates_four_with_a_comment(visitor)

    shown = console.locator("[data-testid=rating]")
    expect(shown).to_contain_text("4 out of 5", timeout=10_000)
    expect(shown).to_contain_text("Quick and kind")

    the_webhook_receiver_got_the_signed_rating(receiver, demo.endpoint)
    the_portal_shows_the_rating(browser, base, conversation)
