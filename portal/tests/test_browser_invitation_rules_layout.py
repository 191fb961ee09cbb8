"""The invitation rules editor fits its card at 1280 px (real Chromium, a real server): a roomy text box
per language, every field and the Delete box inside the card, nothing to scroll sideways."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from chats.tests.browser_pages import log_in, outside_the_event_loop
from chats.visits.models import ProactiveRule
from clients.models import Client, Representative, RepresentativeRole

pytestmark = [pytest.mark.browser, pytest.mark.server]
PASSWORD = "demo-pass-2"


@pytest.fixture
def owner_with_rules(asgi_servers):
    server = asgi_servers()
    shop = Client.objects.create(name="Sklep Kowalski", slug="kowalski")
    ProactiveRule.objects.create(
        client=shop,
        name="Pełny koszyk",
        min_cart_value=100,
        url_contains="/koszyk",
        invitation_texts="pl: Czy możemy pomóc?\nen: Can we help with your order?",
    )
    owner = get_user_model().objects.create_user("olga", password=PASSWORD)
    Representative.objects.create(user=owner, client=shop, role=RepresentativeRole.OWNER, language="pl")
    return server


@pytest.mark.parametrize("locale", ["en-GB", "pl-PL"])
def test_the_rules_editor_fits_its_card_with_a_text_box_per_language(owner_with_rules, browser, locale):
    page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, owner_with_rules.url, "olga", PASSWORD, next_path="/portal/invitations/")
    card = page.locator("section.card.settings").bounding_box()
    controls = page.locator("section.card.settings form").locator("input:visible, select:visible, textarea:visible")
    assert controls.count() > 10
    for box in controls.evaluate_all("nodes => nodes.map(n => n.getBoundingClientRect().toJSON())"):
        assert card["x"] <= box["x"] and box["x"] + box["width"] <= card["x"] + card["width"] + 0.5, box
    texts = page.locator("fieldset.rule").first.locator("textarea")
    assert texts.count() == 3  # en, es, pl
    assert all(width >= 240 for width in texts.evaluate_all("nodes => nodes.map(n => n.offsetWidth)"))
    delete = page.locator("fieldset.rule").first.locator("input[name$='-DELETE']")
    expect(delete).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    page.locator("fieldset.rule").first.locator("textarea[name$='text_es']").fill("¿Le ayudamos con su pedido?")
    page.click("[data-testid=save-rules]")
    expect(page.locator("ul.messages")).to_be_visible()
    stored = outside_the_event_loop(lambda: ProactiveRule.objects.get().invitation_texts)
    assert stored == "pl: Czy możemy pomóc?\nen: Can we help with your order?\nes: ¿Le ayudamos con su pedido?"
