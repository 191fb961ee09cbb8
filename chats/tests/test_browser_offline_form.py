"""Outside coverage the widget tells the visitor when the client opens again, in their own time zone (named),
and takes a message instead of a chat (real Chromium, real server)."""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from playwright.sync_api import expect

from clients.models import Client, CoverageWindow, OfflineMessage

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def closed_shop(asgi_servers):
    """Open one hour, two days from now (UTC): closed at the moment, with a known next opening."""
    server = asgi_servers()
    client = Client.objects.create(
        name="Demo Shop", slug="demo-shop", allowed_origins=server.url, is_24_7=False, timezone="UTC"
    )
    opening = datetime.combine(datetime.now(UTC).date() + timedelta(days=2), time(9, 0), tzinfo=UTC)
    CoverageWindow.objects.create(client=client, weekday=opening.weekday(), starts_at=time(9), ends_at=time(10))
    return server, opening


def stored_offline_messages() -> list[OfflineMessage]:
    def read():
        try:
            return list(OfflineMessage.objects.all())
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:  # the ORM refuses to run beside Playwright's event loop
        return pool.submit(read).result()


def test_a_visitor_after_hours_sees_the_next_opening_and_leaves_a_message(closed_shop, browser):  # noqa: F811
    server, opening = closed_shop
    page = browser.new_context(locale="en-GB", timezone_id="Europe/Warsaw").new_page()
    page.goto(f"{server.url}/demo/")
    page.click("[data-testid=launcher]")

    local = opening.astimezone(ZoneInfo("Europe/Warsaw"))
    notice = page.locator("[data-testid=offline-notice]")
    expect(notice).to_contain_text("We are offline now. We open again at")
    expect(notice).to_contain_text(local.strftime("%A"))
    expect(notice).to_contain_text(local.strftime("%H:%M"))
    expect(notice).to_contain_text(re.compile(r"\b(CES?T|GMT\+[12])\b"))  # the browser's zone, named
    expect(page.locator("[data-testid=input]")).to_be_hidden()

    page.fill("[data-testid=offline-name]", "Maria")
    page.fill("[data-testid=offline-email]", "maria@example.com")
    page.fill("[data-testid=offline-message]", "Do you ship <b>vases</b> to Valencia?")
    page.check("[data-testid=offline-consent]")
    page.click("[data-testid=offline-submit]")
    expect(page.locator("[data-testid=offline-thanks]")).to_be_visible(timeout=10_000)
    expect(page.locator("[data-testid=offline-form]")).to_be_hidden()

    [stored] = stored_offline_messages()
    assert (stored.name, stored.email, stored.message) == (
        "Maria",
        "maria@example.com",
        "Do you ship <b>vases</b> to Valencia?",
    )


def test_the_servers_refusal_is_shown_to_the_visitor(closed_shop, browser):  # noqa: F811
    server, _ = closed_shop
    page = browser.new_context().new_page()
    page.goto(f"{server.url}/demo/")
    page.click("[data-testid=launcher]")
    page.fill("[data-testid=offline-email]", "maria@example.com")
    page.fill("[data-testid=offline-message]", "   ")  # passes the browser's check, not the server's
    page.check("[data-testid=offline-consent]")
    page.click("[data-testid=offline-submit]")
    expect(page.locator("[data-testid=offline-error]")).to_have_text("Write your message.")
    expect(page.locator("[data-testid=offline-thanks]")).to_be_hidden()
