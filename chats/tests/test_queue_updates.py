"""Queued visitors see their place in line move, and meet their agent when routed."""

import pytest
from channels.db import database_sync_to_async

from agency.models import Presence
from chats import agent_presence, services
from conftest import make_agent, make_client, receive_until, start_chat, visitor_communicator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(db):
    shop = make_client()
    ana = make_agent("ana", shop, presence=Presence.OFFLINE, max_chats=1)
    return ana, [start_chat(shop, name=f"visitor {n}") for n in range(3)]


async def test_queue_positions_update_live_and_the_head_meets_the_agent(queue):
    ana, chats = queue
    sockets = []
    for expected, chat in enumerate(chats, start=1):
        communicator = visitor_communicator(chat.conversation.pk, chat.token)
        assert (await communicator.connect(timeout=5))[0]
        status = await receive_until(communicator, lambda f: f["type"] == "status")
        assert status["queue_position"] == expected
        sockets.append(communicator)

    # The first visitor leaves for good: everyone behind moves up.
    await database_sync_to_async(services.mark_missed)(conversation_id=chats[0].conversation.pk)
    assert (await receive_until(sockets[1], lambda f: f["type"] == "status"))["queue_position"] == 1
    assert (await receive_until(sockets[2], lambda f: f["type"] == "status"))["queue_position"] == 2

    # Ana comes online: the head of the queue is served, the last moves up again.
    await database_sync_to_async(agent_presence.set_presence)(agent=ana, presence=Presence.ONLINE)
    served = await receive_until(sockets[1], lambda f: f["type"] == "status" and f["status"] == "active")
    assert served["agent"] == {"name": "Ana"}
    joined = await receive_until(sockets[1], lambda f: f["type"] == "message")
    assert joined["sender"] == "system" and "Ana" in joined["body"]
    assert (await receive_until(sockets[2], lambda f: f["type"] == "status"))["queue_position"] == 1
    for communicator in sockets:
        await communicator.disconnect()
