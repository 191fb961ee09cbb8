"""The owner's dashboard draws its charts in every language (real Chromium, a real server): Spanish and
Polish write decimal commas, and a comma in an SVG coordinate is an error that drops the bar."""

import pytest
from django.contrib.auth import get_user_model

from chats.tests.browser_pages import log_in
from clients.models import Client, Representative, RepresentativeRole
from reports.analytics.history import HistorySize, generate_history

pytestmark = [pytest.mark.browser, pytest.mark.server]
PASSWORD = "demo-pass-2"


@pytest.fixture
def owner_with_history(asgi_servers):
    server = asgi_servers()
    generate_history(size=HistorySize(conversations=400, messages_per_conversation=2, clients=1, agents=2, days=20))
    owner = get_user_model().objects.create_user("olga", password=PASSWORD)
    Representative.objects.create(user=owner, client=Client.objects.get(), role=RepresentativeRole.OWNER)
    return server


@pytest.mark.parametrize("locale", ["en-GB", "es-ES", "pl-PL"])
def test_the_dashboards_bars_are_drawn_without_a_console_error_in_every_language(owner_with_history, browser, locale):
    page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, owner_with_history.url, "olga", PASSWORD, next_path="/portal/dashboard/")
    assert page.locator("html").get_attribute("lang") == locale[:2]

    bars = page.locator("svg.bars rect")
    sizes = bars.evaluate_all("rects => rects.map(r => { const box = r.getBBox(); return [box.width, box.height]; })")
    assert len(sizes) >= 2 * 20  # a bar per day in each of the two charts
    assert all(width > 0 for width, _ in sizes)
    assert sum(1 for _, height in sizes if height > 0) >= 20
    drawn = bars.first.bounding_box()
    assert drawn is not None and drawn["width"] > 0
    assert errors == []
