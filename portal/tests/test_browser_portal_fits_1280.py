"""Every page of the client portal fits a 1280 px window in each language (real Chromium, a real server):
nothing scrolls sideways, the portal's navigation included, however many links an owner gets."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from chats.tests.browser_pages import log_in
from clients.models import Client, Representative, RepresentativeRole

pytestmark = [pytest.mark.browser, pytest.mark.server]
PASSWORD = "demo-pass-3"
PAGES = [
    "portal", "report-list", "dashboard", "conversations", "briefing", "settings", "preferences", "webhooks",
    "billing", "tags", "leads", "pre-chat", "invitations", "callbacks", "quality", "qa",
]  # fmt: skip


@pytest.fixture
def owner(asgi_servers):
    server = asgi_servers()
    shop = Client.objects.create(name="Sklep Kowalski z bardzo długą nazwą firmy", slug="kowalski")
    user = get_user_model().objects.create_user("olga", password=PASSWORD)
    Representative.objects.create(user=user, client=shop, role=RepresentativeRole.OWNER, language="pl")
    return server


@pytest.mark.parametrize("locale", ["en-GB", "es-ES", "pl-PL"])
def test_no_portal_page_scrolls_sideways_at_1280_px(owner, browser, locale):
    page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, owner.url, "olga", PASSWORD, next_path="/portal/")
    wide = {}
    for name in PAGES:
        response = page.goto(owner.url + reverse(f"portal:{name}"))
        assert response.status == 200, name
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 1280:
            wide[name] = width
    assert wide == {}
