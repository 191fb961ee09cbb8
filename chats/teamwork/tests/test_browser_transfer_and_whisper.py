"""In Chromium: a supervisor whispers to Ana from the floor, Ana transfers the chat to Bea with a note;
the visitor sees only "You are now chatting with Bea." (real server, real browsers)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from agency import roles
from agency.models import Agent
from chats.tests.browser_pages import ANA_PASSWORD, log_in, open_console_online, serve_demo_shop, visitor_says
from clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def shop_with_a_floor(asgi_servers):
    server = serve_demo_shop(asgi_servers)
    users = get_user_model()
    bea = users.objects.create_user("bea", password=ANA_PASSWORD, first_name="Bea")
    Agent.objects.create(user=bea).clients.add(Client.objects.get(slug="demo-shop"))
    sara = users.objects.create_user("sara", password=ANA_PASSWORD, first_name="Sara")
    sara.groups.add(Group.objects.get_or_create(name=roles.SUPERVISOR)[0])
    return server


def test_a_whisper_reaches_ana_only_and_a_transfer_hands_the_chat_to_bea(shop_with_a_floor, browser):
    base = shop_with_a_floor.url
    ana = open_console_online(browser, base)
    visitor = visitor_says(browser, f"{base}/demo/", "My parcel never arrived")
    expect(ana.locator("[data-testid=chat-item]")).to_have_count(1, timeout=10_000)

    floor = browser.new_context().new_page()
    log_in(floor, base, "sara", ANA_PASSWORD, next_path="/floor/")
    floor.locator("[data-testid=monitor]").first.click(timeout=15_000)
    panel = floor.locator("[data-testid=monitor-panel]")
    expect(panel.locator("[data-testid=monitor-message]", has_text="My parcel never arrived")).to_be_visible()
    panel.locator("[data-testid=whisper-text]").fill("Offer a free reshipment")
    panel.locator("[data-testid=whisper-send]").click()
    note = ana.locator("[data-testid=pane]:visible .message-internal", has_text="Offer a free reshipment")
    expect(note).to_be_visible(timeout=10_000)

    bea = browser.new_context().new_page()
    log_in(bea, base, "bea", ANA_PASSWORD)
    bea.select_option("[data-testid=presence]", "online")
    expect(bea.locator("[data-testid=connection-banner]")).to_be_hidden()
    ana.locator("[data-testid=pane]:visible [data-testid=transfer]").click()
    form = ana.locator("[data-testid=pane]:visible [data-testid=transfer-form]")
    expect(form.locator("[data-testid=transfer-target] option")).not_to_have_count(0)
    form.locator("[data-testid=transfer-target]").select_option(label="Bea")
    form.locator("[data-testid=transfer-note]").fill("VIP customer, reship today")
    form.locator("[data-testid=transfer-submit]").click()

    expect(bea.locator("[data-testid=chat-item]")).to_have_count(1, timeout=10_000)
    expect(bea.locator("[data-testid=pane]:visible .message-internal", has_text="VIP customer")).to_be_visible()
    expect(
        bea.locator("[data-testid=pane]:visible [data-testid=message]", has_text="My parcel never arrived")
    ).to_be_visible()
    expect(ana.locator("[data-testid=ended-item]")).to_have_count(1)
    expect(visitor.locator("[data-testid=message]", has_text="You are now chatting with Bea.")).to_be_visible(
        timeout=10_000
    )
    widget_text = visitor.locator("[data-testid=message]").all_inner_texts()
    assert not any("reship" in text for text in widget_text)
