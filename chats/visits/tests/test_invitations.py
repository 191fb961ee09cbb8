"""Proactive and agent invitations: never when nobody can answer, one automatic per visit,
accepting opens a chat (the inviting agent's), declining is recorded."""

import asyncio
import json
from decimal import Decimal

import pytest
from channels.db import database_sync_to_async
from django.test import Client as HttpClient

from agency.models import Presence
from chats.models import Conversation, ConversationStatus
from chats.visits import consumers
from chats.visits.models import Invitation, InvitationAnswer, ProactiveRule
from chats.visits.tests.visit_sockets import SHOP, flush, open_visit
from conftest import make_agent, make_client, open_agent, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(db, monkeypatch):
    monkeypatch.setattr(consumers, "RETRY_INVITATION_SECONDS", 0.3)
    client = make_client(allowed_origins=SHOP, tracks_visitors_before_chat=True)
    ProactiveRule.objects.create(
        client=client,
        name="Full cart",
        min_seconds_on_page=1,
        min_cart_value=Decimal(100),
        invitation_texts="en: Need help with your order?\nes: ¿Le ayudamos con su pedido?",
    )
    return client


async def put_in_cart(page, value):
    await page.send_json_to({"type": "cart", "value": value, "currency": "EUR", "items": 2})


async def test_a_rule_fires_after_its_seconds_in_the_visitors_language(shop):
    await database_sync_to_async(make_agent)("ana", shop)
    page, _ = await open_visit(shop.widget_key, language="es")
    await put_in_cart(page, 150)
    invitation = await receive_until(page, lambda f: f["type"] == "invitation", timeout=5)
    assert invitation["text"] == "¿Le ayudamos con su pedido?"
    assert invitation["agent"] is None
    await page.disconnect()


async def test_a_rule_whose_conditions_do_not_hold_stays_quiet(shop):
    await database_sync_to_async(make_agent)("ana", shop)
    page, _ = await open_visit(shop.widget_key)
    await put_in_cart(page, 20)
    assert await page.receive_nothing(timeout=1.5)
    await page.disconnect()


@pytest.mark.parametrize("nobody_free", ["offline", "full", "not_covered"])
async def test_no_invitation_while_nobody_can_answer_then_one_when_someone_can(shop, nobody_free):
    def setup():
        agent = make_agent(
            "ana", shop, presence=Presence.OFFLINE if nobody_free == "offline" else Presence.ONLINE, max_chats=1
        )
        if nobody_free == "full":
            agent.active_chats = 1
            agent.save(update_fields=["active_chats"])
        if nobody_free == "not_covered":
            shop.is_24_7 = False
            shop.save(update_fields=["is_24_7"])
        return agent

    agent = await database_sync_to_async(setup)()
    page, _ = await open_visit(shop.widget_key)
    await put_in_cart(page, 150)
    assert await page.receive_nothing(timeout=2)
    assert await database_sync_to_async(Invitation.objects.count)() == 0

    def free_up():
        agent.presence, agent.active_chats = Presence.ONLINE, 0
        agent.save(update_fields=["presence", "active_chats"])
        shop.is_24_7 = True
        shop.save(update_fields=["is_24_7"])

    await database_sync_to_async(free_up)()
    await receive_until(page, lambda f: f["type"] == "invitation", timeout=5)
    await page.disconnect()


async def test_at_most_one_automatic_invitation_per_visit(shop):
    await database_sync_to_async(make_agent)("ana", shop)
    page, key = await open_visit(shop.widget_key)
    await put_in_cart(page, 150)
    invitation = await receive_until(page, lambda f: f["type"] == "invitation", timeout=5)
    await page.send_json_to({"type": "decline", "invitation": invitation["invitation"]})
    await page.disconnect()
    await flush()
    next_page, _ = await open_visit(shop.widget_key, visit=key, pages_seen=2)
    await put_in_cart(next_page, 150)
    assert await next_page.receive_nothing(timeout=2)
    answer = await database_sync_to_async(lambda: Invitation.objects.get().answer)()
    assert answer == InvitationAnswer.DECLINED
    await next_page.disconnect()


async def test_accepting_an_automatic_invitation_opens_a_chat_routed_as_usual(shop):
    await database_sync_to_async(make_agent)("ana", shop)
    page, _ = await open_visit(shop.widget_key)
    await put_in_cart(page, 150)
    invitation = await receive_until(page, lambda f: f["type"] == "invitation", timeout=5)
    await page.send_json_to({"type": "accept", "invitation": invitation["invitation"]})
    chat = await receive_until(page, lambda f: f["type"] == "chat")
    assert chat["status"] == "queued" and chat["token"]  # routed when its chat socket connects
    stored = await database_sync_to_async(Invitation.objects.get)()
    assert (stored.answer, stored.conversation_id) == (InvitationAnswer.ACCEPTED, chat["conversation"])
    await page.disconnect()


def invite(agent, key, text=""):
    http = HttpClient()
    http.force_login(agent.user)
    return http.post(
        f"/console/api/visitors/{key}/invite/", json.dumps({"text": text}), content_type="application/json"
    )


async def test_an_agent_invites_and_the_accepted_chat_is_already_theirs(shop):
    ana = await database_sync_to_async(make_agent)("ana", shop)
    await database_sync_to_async(make_agent)("bob", shop)
    console = await open_agent(ana)
    page, key = await open_visit(shop.widget_key)
    await flush()
    response = await database_sync_to_async(invite)(ana, key, "Hi, any questions about sizes?")
    assert response.status_code == 201
    invitation = await receive_until(page, lambda f: f["type"] == "invitation")
    assert invitation["text"] == "Hi, any questions about sizes?"
    assert invitation["agent"] == {"name": "Ana"}
    await page.send_json_to({"type": "accept", "invitation": invitation["invitation"]})
    chat = await receive_until(page, lambda f: f["type"] == "chat")
    assert chat["status"] == "active" and chat["agent"] == {"name": "Ana"}
    assigned = await receive_until(console, lambda f: f["type"] == "assigned")
    assert assigned["conversation"]["id"] == chat["conversation"]
    conversation = await database_sync_to_async(Conversation.objects.get)(pk=chat["conversation"])
    assert (conversation.agent_id, conversation.status) == (ana.pk, ConversationStatus.ACTIVE)
    await page.disconnect()
    await console.disconnect()


async def test_an_agent_cannot_invite_a_visitor_of_a_client_they_do_not_serve(shop):
    other = await database_sync_to_async(make_client)("Other")
    outsider = await database_sync_to_async(make_agent)("olga", other)
    page, key = await open_visit(shop.widget_key)
    await flush()
    response = await database_sync_to_async(invite)(outsider, key)
    assert response.status_code == 404
    assert await page.receive_nothing(timeout=0.5)
    await page.disconnect()


async def test_an_agent_without_a_free_slot_cannot_invite(shop):
    ana = await database_sync_to_async(make_agent)("ana", shop, presence=Presence.AWAY)
    page, key = await open_visit(shop.widget_key)
    await flush()
    response = await database_sync_to_async(invite)(ana, key)
    assert response.status_code == 400
    await page.disconnect()


async def test_an_answered_or_foreign_invitation_cannot_be_answered(shop):
    await database_sync_to_async(make_agent)("ana", shop)
    page, _ = await open_visit(shop.widget_key)
    await put_in_cart(page, 150)
    invitation = await receive_until(page, lambda f: f["type"] == "invitation", timeout=5)
    other_page, _ = await open_visit(shop.widget_key)
    await other_page.send_json_to({"type": "accept", "invitation": invitation["invitation"]})
    assert (await receive_until(other_page, lambda f: f["type"] == "error"))["code"] == "not_found"
    await page.send_json_to({"type": "decline", "invitation": invitation["invitation"]})
    await page.send_json_to({"type": "accept", "invitation": invitation["invitation"]})
    assert (await receive_until(page, lambda f: f["type"] == "error"))["code"] == "not_found"
    await page.disconnect()
    await other_page.disconnect()


async def test_an_accepted_invitation_of_an_agent_who_filled_up_meanwhile_is_routed_as_usual(shop):
    ana = await database_sync_to_async(make_agent)("ana", shop, max_chats=1)
    page, key = await open_visit(shop.widget_key)
    await flush()
    assert (await database_sync_to_async(invite)(ana, key)).status_code == 201
    invitation = await receive_until(page, lambda f: f["type"] == "invitation")

    def fill_up():
        ana.active_chats = 1
        ana.save(update_fields=["active_chats"])

    await database_sync_to_async(fill_up)()
    await page.send_json_to({"type": "accept", "invitation": invitation["invitation"]})
    chat = await receive_until(page, lambda f: f["type"] == "chat")
    assert chat["status"] == "queued" and chat["agent"] is None
    await page.disconnect()


async def test_accepting_an_invitation_counts_as_a_new_chat_for_the_widgets_hourly_limits(shop, settings):
    """An accepted invitation opens a chat like the widget's POST: past the address's hourly share it is
    refused with rate_limited, and the invitation stays unanswered."""
    settings.CHAT_CONVERSATIONS_PER_IP_PER_HOUR = 0
    await database_sync_to_async(make_agent)("ana", shop)
    page, _ = await open_visit(shop.widget_key)
    await put_in_cart(page, 150)
    invitation = await receive_until(page, lambda f: f["type"] == "invitation", timeout=5)
    await page.send_json_to({"type": "accept", "invitation": invitation["invitation"]})
    refused = await receive_until(page, lambda f: f["type"] == "error")
    assert refused["code"] == "rate_limited"
    assert not await database_sync_to_async(Conversation.objects.exists)()
    stored = await database_sync_to_async(Invitation.objects.get)()
    assert stored.answer == InvitationAnswer.PENDING
    await page.disconnect()


async def test_while_nobody_can_answer_one_page_asks_for_all_the_clients_pages(shop, monkeypatch):
    """At night thousands of pages may match a rule: the process asks the database once per client and
    retry period, not once per page."""
    monkeypatch.setattr(consumers, "RETRY_INVITATION_SECONDS", 30)
    asked = []
    real = consumers.services.invite_automatically

    def counted(**kwargs):
        asked.append(kwargs["visit"].key)
        return real(**kwargs)

    monkeypatch.setattr(consumers.services, "invite_automatically", counted)
    await database_sync_to_async(make_agent)("ana", shop, presence=Presence.OFFLINE)
    pages = [(await open_visit(shop.widget_key))[0] for _n in range(5)]
    for page in pages:
        await put_in_cart(page, 150)
    for page in pages:
        assert await page.receive_nothing(timeout=0.5)
    await asyncio.sleep(1)  # every page's rule is due (1 s on the page)
    assert len(asked) == 1
    for page in pages:
        await page.disconnect()
