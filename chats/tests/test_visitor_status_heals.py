"""A visitor's status is never stuck: a lost status doorbell, or an assignment while the socket
was joining, is healed on connect, on the next ping and on resume; places in line move up
whenever anyone ahead leaves."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from agency.models import Presence
from chats import agent_presence, events, services, visitor_presence
from chats.models import Conversation
from conftest import make_agent, make_client, open_visitor, receive_until, start_chat, visitor_communicator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def waiting(db):
    """A visitor in line at a shop whose only agent, Ana, is away."""
    shop = make_client("Shop")
    ana = make_agent("ana", shop, presence=Presence.AWAY)
    return ana, start_chat(shop)


def ring_nothing(monkeypatch) -> None:
    """Every doorbell is lost (the layer is at-most-once)."""
    monkeypatch.setattr(events, "send_now", lambda group, event: None)


async def test_a_lost_status_doorbell_is_healed_by_the_next_ping(waiting, monkeypatch):
    ana, chat = waiting
    visitor = await open_visitor(chat)
    ring_nothing(monkeypatch)
    await database_sync_to_async(agent_presence.set_presence)(agent=ana, presence=Presence.ONLINE)
    monkeypatch.undo()
    await visitor.send_json_to({"type": "ping"})
    assert (await visitor.receive_json_from(timeout=5))["type"] == "pong"
    status = await receive_until(visitor, lambda f: f["type"] == "status")
    assert status["status"] == "active" and status["agent"] == {"name": "Ana"}
    joined = await receive_until(visitor, lambda f: f["type"] == "message")
    assert "Ana" in joined["body"]
    await visitor.disconnect()


async def test_a_ping_sends_no_status_when_nothing_changed(waiting):
    _, chat = waiting
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "ping"})
    await visitor.send_json_to({"type": "ping"})
    assert [(await visitor.receive_json_from(timeout=5))["type"] for _ in range(2)] == ["pong", "pong"]
    await visitor.disconnect()


async def test_resume_sends_the_current_status_too(waiting, monkeypatch):
    ana, chat = waiting
    visitor = await open_visitor(chat)
    ring_nothing(monkeypatch)
    await database_sync_to_async(agent_presence.set_presence)(agent=ana, presence=Presence.ONLINE)
    monkeypatch.undo()
    await visitor.send_json_to({"type": "resume", "after": 0})
    status = await receive_until(visitor, lambda f: f["type"] == "status")
    assert status["status"] == "active"
    await visitor.disconnect()


async def test_an_assignment_while_the_socket_joins_is_not_lost(waiting, monkeypatch):
    ana, chat = waiting
    open_session = visitor_presence.open_visitor_session

    def open_then_assign(**kwargs):
        session = open_session(**kwargs)
        agent_presence.set_presence(agent=ana, presence=Presence.ONLINE)  # rings before the socket joined
        return session

    monkeypatch.setattr(visitor_presence, "open_visitor_session", open_then_assign)
    visitor = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await visitor.connect(timeout=5))[0]
    first = await receive_until(visitor, lambda f: f["type"] == "status")
    assert first["status"] == "active" and first["agent"] == {"name": "Ana"}
    joined = await receive_until(visitor, lambda f: f["type"] == "message")
    assert "Ana" in joined["body"]
    await visitor.disconnect()


def third_in_line_behind_two_who_left():
    def world():
        shop = make_client("Shop")
        make_agent("ana", shop, presence=Presence.AWAY)
        chats = [start_chat(shop, name=f"visitor {n}") for n in range(3)]
        Conversation.objects.filter(pk__in=[c.conversation.pk for c in chats[:2]]).update(
            visitor_last_seen_at=timezone.now() - timedelta(hours=1)
        )
        return chats

    return database_sync_to_async(world)()


async def test_the_third_in_line_is_first_after_the_two_ahead_are_swept_to_missed(db):
    chats = await third_in_line_behind_two_who_left()
    third = visitor_communicator(chats[2].conversation.pk, chats[2].token)
    assert (await third.connect(timeout=5))[0]
    assert (await receive_until(third, lambda f: f["type"] == "status"))["queue_position"] == 3
    assert await database_sync_to_async(services.sweep_abandoned_conversations)() == 2
    await receive_until(third, lambda f: f["type"] == "status" and f["queue_position"] == 1)
    await third.disconnect()


async def test_a_lost_place_in_line_is_healed_by_the_next_ping(db, monkeypatch):
    chats = await third_in_line_behind_two_who_left()
    third = await open_visitor(chats[2])
    ring_nothing(monkeypatch)
    assert await database_sync_to_async(services.sweep_abandoned_conversations)() == 2
    monkeypatch.undo()
    await third.send_json_to({"type": "ping"})
    status = await receive_until(third, lambda f: f["type"] == "status")
    assert status["status"] == "queued" and status["queue_position"] == 1
    await third.disconnect()


async def test_a_late_place_in_line_never_undoes_an_assignment(waiting):
    ana, chat = waiting
    visitor = await open_visitor(chat)
    await database_sync_to_async(agent_presence.set_presence)(agent=ana, presence=Presence.ONLINE)
    await receive_until(visitor, lambda f: f["type"] == "status" and f["status"] == "active")
    await visitor.send_input(
        {
            "type": "chat.status",
            "conversation": chat.conversation.pk,
            "frame": {
                "type": "status",
                "conversation": chat.conversation.pk,
                "status": "queued",
                "queue_position": 1,
                "agent": None,
            },
        }
    )
    await visitor.send_json_to({"type": "ping"})
    frames = [await visitor.receive_json_from(timeout=5)]
    while frames[-1]["type"] != "pong":
        frames.append(await visitor.receive_json_from(timeout=5))
    assert not [f for f in frames if f["type"] == "status"]
    await visitor.disconnect()
