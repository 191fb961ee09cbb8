"""In real Chromium against a real server: a supervisor scores a sampled chat beside its transcript, the agent
sees the score and comment and acknowledges it, and the client's owner sees the month's QA in the portal and
the reviewed transcript without the internal note."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from agency import roles
from agency.models import Agent
from agency.tests.api_personas import make_conversation
from chats.models import Message, SenderKind
from chats.tests.browser_pages import log_in
from clients.models import Client, Representative, RepresentativeRole
from quality.scorecards.models import SamplingPolicy
from quality.scorecards.sampling import build_client_sample, monday_of
from quality.scorecards.tests.scorecard_fixtures import shop_rubric

pytestmark = [pytest.mark.browser, pytest.mark.server]

PASSWORD = "qa-pass-2026"


def person(username: str, *groups: str):
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=username.title())
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])  # a flushed database has none
    return user


@pytest.fixture
def sampled(asgi_servers):
    """A server, a client with a rubric, Ana's closed chat (with an internal note) in this week's sample."""
    server = asgi_servers()
    shop = Client.objects.create(name="Shop", slug="shop", timezone="Europe/Madrid")
    ana = Agent.objects.create(user=person("ana", roles.AGENT))
    ana.clients.set([shop])
    person("sam", roles.SUPERVISOR)
    Representative.objects.create(user=person("olga", roles.CLIENT_OWNER), client=shop, role=RepresentativeRole.OWNER)
    shop_rubric(shop)
    chat = make_conversation(shop, ana, body="Where is my parcel?")
    Message.objects.create(
        conversation=chat, seq=3, sender=SenderKind.AGENT, author=ana.user, body="Note: grumpy one", is_internal=True
    )
    SamplingPolicy.objects.create(client=shop, sample_percent=100)
    assert build_client_sample(client=shop, week=monday_of(timezone.localdate(chat.closed_at))) == 1
    server.chat = chat
    return server


def test_a_supervisor_scores_a_sampled_chat_the_agent_sees_it_and_the_owner_sees_the_month(sampled, browser):
    base = sampled.url
    supervisor = browser.new_context().new_page()
    log_in(supervisor, base, "sam", PASSWORD, next_path="/floor/qa/")
    supervisor.locator(f"[data-testid=qa-queue] tr[data-conversation='{sampled.chat.pk}'] a").click()
    expect(supervisor.locator(".transcript")).to_contain_text("Where is my parcel?")
    supervisor.select_option("select[data-label='Greets the visitor']", "0")
    supervisor.fill("textarea[name=comment]", "Greet the visitor first")
    supervisor.click("[data-testid=qa-form] button[type=submit]")
    expect(supervisor.locator("[data-testid=qa-score]")).to_have_text("80.0 %")

    console = browser.new_context().new_page()
    log_in(console, base, "ana", PASSWORD, next_path="/console/")
    with console.context.expect_page() as opened:  # from the console's header, in a tab of its own
        console.click("[data-testid=my-qa-reviews]")
    agent = opened.value
    expect(agent.locator("[data-testid=my-reviews]")).to_contain_text("80.0 %")
    agent.locator("[data-testid=my-reviews] a").first.click()
    expect(agent.locator("[data-testid=qa-comment]")).to_have_text("Greet the visitor first")
    agent.click("button[value=acknowledged]")
    expect(agent.locator("[data-testid=qa-status]")).to_contain_text("Acknowledged")

    owner = browser.new_context().new_page()
    log_in(owner, base, "olga", PASSWORD, next_path="/portal/qa/")
    expect(owner.locator("[data-testid=qa-average]")).to_have_text("80.0 %")
    expect(owner.locator("[data-testid=qa-per-agent]")).to_contain_text("Ana")
    expect(owner.locator("[data-testid=qa-per-criterion]")).to_contain_text("Greets the visitor")
    owner.locator("[data-testid=qa-reviewed-chats] a").first.click()
    expect(owner.locator(".transcript")).to_contain_text("Where is my parcel?")
    expect(owner.locator("body")).not_to_contain_text("grumpy")
