"""A chat created over HTTP whose visitor socket never connects (a ghost) takes no agent and
no place in line, and is dropped soon; one whose socket connects is routed then."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from agency.models import Agent, Presence
from chats import after_hours, agent_presence, assignment, services, visitor_presence
from chats.models import Conversation, ConversationStatus, Visitor
from chats.selectors import floor_snapshot
from conftest import make_agent, make_client, receive_until, start_chat, start_ghost_chat, visitor_communicator


@pytest.fixture
def shop(db):
    return make_client("Shop")


def status_of(started) -> str:
    return Conversation.objects.get(pk=started.conversation.pk).status


def age(started, seconds: float) -> None:
    Conversation.objects.filter(pk=started.conversation.pk).update(
        requested_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_ghosts_never_take_a_slot_of_an_agent_coming_online(shop):
    ana = make_agent("ana", shop, presence=Presence.OFFLINE, max_chats=3)
    ghosts = [start_ghost_chat(shop) for _ in range(3)]
    real = start_chat(shop)
    agent_presence.set_presence(agent=ana, presence=Presence.ONLINE)
    assert status_of(real) == ConversationStatus.ACTIVE
    assert [status_of(ghost) for ghost in ghosts] == [ConversationStatus.QUEUED] * 3
    assert Agent.objects.get(pk=ana.pk).active_chats == 1


def test_ghosts_ahead_in_line_do_not_count_in_a_real_visitors_place(shop):
    make_agent("ana", shop, presence=Presence.OFFLINE)
    for _ in range(5):
        start_ghost_chat(shop)
    real = start_chat(shop)
    assert real.queue_position == 1
    assert assignment.queue_position(Conversation.objects.get(pk=real.conversation.pk)) == 1


def test_a_new_chat_is_told_the_place_it_takes_when_its_socket_comes(shop):
    make_agent("ana", shop, presence=Presence.OFFLINE)
    start_chat(shop)
    start_ghost_chat(shop)
    assert start_ghost_chat(shop).queue_position == 2


def test_the_floor_does_not_show_ghosts_in_the_queue(shop):
    start_ghost_chat(shop)
    start_chat(shop)
    (row,) = [c for c in floor_snapshot()["clients"] if c["id"] == shop.pk]
    assert row["queued"] == 1


def test_a_ghost_is_dropped_with_its_visitor_after_the_connect_timeout(shop):
    ghost, fresh_ghost, waiting = start_ghost_chat(shop), start_ghost_chat(shop), start_chat(shop)
    age(ghost, settings.CHAT_VISITOR_CONNECT_SECONDS + 1)
    age(waiting, settings.CHAT_VISITOR_CONNECT_SECONDS + 1)
    assert services.sweep_unconnected_conversations() == 1
    assert not Conversation.objects.filter(pk=ghost.conversation.pk).exists()
    assert not Visitor.objects.filter(pk=ghost.conversation.visitor_id).exists()
    assert status_of(fresh_ghost) == ConversationStatus.QUEUED  # still has time to connect
    assert status_of(waiting) == ConversationStatus.QUEUED  # connected: a real visitor in line
    assert not Conversation.objects.filter(status=ConversationStatus.MISSED).exists()


def test_a_ghost_is_not_a_missed_chat_when_coverage_closes_or_the_abandon_sweep_runs(shop):
    ghost = start_ghost_chat(shop)
    Conversation.objects.filter(pk=ghost.conversation.pk).update(
        visitor_last_seen_at=timezone.now() - timedelta(hours=1)
    )
    assert services.sweep_abandoned_conversations() == 0
    shop.is_24_7 = False  # and no coverage window: closed from now on
    shop.save(update_fields=["is_24_7"])
    assert after_hours.close_queues_outside_coverage() == 0
    assert status_of(ghost) == ConversationStatus.QUEUED


def test_the_sweep_runs_every_ten_seconds():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-unconnected-conversations"]
    assert entry["task"] == "chats.tasks.sweep_unconnected_conversations"
    assert entry["schedule"] <= 10


@pytest.mark.django_db(transaction=True)
async def test_a_chat_is_routed_when_its_socket_connects():
    def world():
        shop = make_client("Shop")
        make_agent("ana", shop)
        return start_ghost_chat(shop, name="Maria")

    chat = await database_sync_to_async(world)()
    assert await database_sync_to_async(status_of)(chat) == ConversationStatus.QUEUED
    communicator = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await communicator.connect(timeout=5))[0]
    status = await receive_until(communicator, lambda f: f["type"] == "status")
    assert status["status"] == "active" and status["agent"] == {"name": "Ana"}
    joined = await receive_until(communicator, lambda f: f["type"] == "message")
    assert joined["sender"] == "system" and "Ana" in joined["body"]
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_many_ghosts_ahead_do_not_delay_a_real_visitor():
    def world():
        shop = make_client("Shop")
        ana = make_agent("ana", shop, presence=Presence.OFFLINE, max_chats=1)
        for _ in range(50):
            start_ghost_chat(shop)
        agent_presence.set_presence(agent=ana, presence=Presence.ONLINE)
        return start_ghost_chat(shop, name="Maria")

    chat = await database_sync_to_async(world)()
    communicator = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await communicator.connect(timeout=5))[0]
    status = await receive_until(communicator, lambda f: f["type"] == "status")
    assert status["status"] == "active" and status["agent"] == {"name": "Ana"}
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_socket_coming_after_its_chat_was_dropped_is_refused():
    def world():
        chat = start_ghost_chat(make_client("Shop"))
        age(chat, settings.CHAT_VISITOR_CONNECT_SECONDS + 1)
        services.sweep_unconnected_conversations()
        return chat

    chat = await database_sync_to_async(world)()
    communicator = visitor_communicator(chat.conversation.pk, chat.token)
    connected, _ = await communicator.connect(timeout=5)
    assert not connected


def test_a_socket_connecting_as_the_sweep_runs_keeps_its_chat(shop):
    chat = start_ghost_chat(shop)
    age(chat, settings.CHAT_VISITOR_CONNECT_SECONDS + 1)
    visitor_presence.connect_visitor(conversation_id=chat.conversation.pk)  # won the row before the sweep
    assert not services.drop_unconnected_conversation(conversation_id=chat.conversation.pk)
    assert status_of(chat) == ConversationStatus.QUEUED
