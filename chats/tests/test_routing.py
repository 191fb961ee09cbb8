"""Who gets a new chat, the FIFO queue, and the agent's limit under concurrency."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from agency.models import Agent, Presence
from chats import agent_presence, assignment, services
from chats.models import Conversation, ConversationStatus
from conftest import make_agent, make_client, start_chat


@pytest.fixture
def shop(db):
    return make_client("Shop")


def status_of(started) -> str:
    return Conversation.objects.get(pk=started.conversation.pk).status


def agent_of(started) -> str | None:
    conversation = Conversation.objects.select_related("agent__user").get(pk=started.conversation.pk)
    return conversation.agent.user.username if conversation.agent else None


def test_a_new_chat_goes_to_the_least_loaded_agent(shop):
    make_agent("ana", shop)
    make_agent("piotr", shop)
    first, second = start_chat(shop), start_chat(shop)
    assert {agent_of(first), agent_of(second)} == {"ana", "piotr"}


def test_ties_go_to_the_agent_idle_longest(shop):
    ana, piotr = make_agent("ana", shop), make_agent("piotr", shop)
    Agent.objects.filter(pk=ana.pk).update(last_assigned_at=timezone.now() - timedelta(minutes=1))
    Agent.objects.filter(pk=piotr.pk).update(last_assigned_at=timezone.now() - timedelta(minutes=30))
    assert agent_of(start_chat(shop)) == "piotr"


@pytest.mark.parametrize("presence", [Presence.AWAY, Presence.OFFLINE])
def test_agents_who_are_not_online_get_no_chats(shop, presence):
    make_agent("ana", shop, presence=presence)
    assert status_of(start_chat(shop)) == ConversationStatus.QUEUED


def test_an_agent_whose_console_went_silent_gets_no_chats(shop):
    ana = make_agent("ana", shop)
    Agent.objects.filter(pk=ana.pk).update(last_seen_at=timezone.now() - timedelta(minutes=10))
    assert status_of(start_chat(shop)) == ConversationStatus.QUEUED


def test_an_agent_who_does_not_serve_the_client_gets_none_of_its_chats(shop):
    make_agent("bea", make_client("Other shop"))
    assert status_of(start_chat(shop)) == ConversationStatus.QUEUED


def test_when_everyone_is_full_chats_queue_in_order_with_their_positions(shop):
    make_agent("ana", shop, max_chats=1)
    served = start_chat(shop)
    waiting = [start_chat(shop) for _ in range(3)]
    assert status_of(served) == ConversationStatus.ACTIVE
    assert [w.queue_position for w in waiting] == [1, 2, 3]


def test_closing_a_chat_serves_the_queue_in_order(shop, django_capture_on_commit_callbacks):
    ana = make_agent("ana", shop, max_chats=1)
    served = start_chat(shop)
    first, second = start_chat(shop), start_chat(shop)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_conversation(conversation_id=served.conversation.pk, agent=ana)
    assert status_of(first) == ConversationStatus.ACTIVE
    assert status_of(second) == ConversationStatus.QUEUED
    assert assignment.queue_position(Conversation.objects.get(pk=second.conversation.pk)) == 1
    assert Agent.objects.get(pk=ana.pk).active_chats == 1


def test_coming_online_drains_the_queue(shop):
    ana = make_agent("ana", shop, presence=Presence.OFFLINE, max_chats=2)
    chats = [start_chat(shop) for _ in range(3)]
    agent_presence.set_presence(agent=ana, presence=Presence.ONLINE)
    assert [status_of(c) for c in chats] == ["active", "active", "queued"]


def test_a_queued_visitor_who_left_becomes_a_missed_chat(shop):
    chat = start_chat(shop)
    Conversation.objects.filter(pk=chat.conversation.pk).update(
        visitor_last_seen_at=timezone.now() - timedelta(minutes=5)
    )
    fresh = start_chat(shop)
    assert services.sweep_abandoned_conversations() == 1
    missed = Conversation.objects.get(pk=chat.conversation.pk)
    assert missed.status == ConversationStatus.MISSED
    assert missed.closed_at is not None and missed.requested_at is not None  # the wait is measurable
    assert status_of(fresh) == ConversationStatus.QUEUED


def test_a_missed_chat_does_not_take_an_agents_slot(shop):
    chat = start_chat(shop)
    services.mark_missed(conversation_id=chat.conversation.pk)
    ana = make_agent("ana", shop, presence=Presence.OFFLINE, max_chats=1)
    agent_presence.set_presence(agent=ana, presence=Presence.ONLINE)
    assert Agent.objects.get(pk=ana.pk).active_chats == 0


def forty_chats_requested_at_once(shop) -> list[int]:
    def request_chat(_):
        try:
            return start_chat(shop).conversation.pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(request_chat, range(40)))


def every_active_chat_closed_at_once(shop) -> None:
    active = list(Conversation.objects.filter(client=shop, status=ConversationStatus.ACTIVE).select_related("agent"))

    def close(conversation):
        try:
            services.close_conversation(conversation_id=conversation.pk, agent=conversation.agent)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=9) as pool:
        list(pool.map(close, active))


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_never_push_an_agent_over_the_limit():
    if connection.vendor != "postgresql":
        pytest.fail("this test proves the limit in PostgreSQL: run it with DATABASE_URL set")
    shop = make_client("Busy shop")
    agents = [make_agent(name, shop, max_chats=3) for name in ("ana", "piotr", "ewa")]

    ids = forty_chats_requested_at_once(shop)

    assert len(set(ids)) == 40
    for agent in agents:
        agent.refresh_from_db()
        active = Conversation.objects.filter(agent=agent, status=ConversationStatus.ACTIVE).count()
        assert active == agent.active_chats == 3
    queued = Conversation.objects.filter(client=shop, status=ConversationStatus.QUEUED).order_by("requested_at")
    assert queued.count() == 40 - 9
    positions = [assignment.queue_position(c) for c in queued]
    assert positions == list(range(1, 32))

    # Close everything at once: the queue drains, still never over the limit.
    every_active_chat_closed_at_once(shop)
    for agent in agents:
        agent.refresh_from_db()
        assert (
            Conversation.objects.filter(agent=agent, status=ConversationStatus.ACTIVE).count()
            == agent.active_chats
            == 3
        )
    assert Conversation.objects.filter(client=shop, status=ConversationStatus.QUEUED).count() == 40 - 18
