"""Floods are answered with rate_limited and a retry time; others are not slowed."""

import pytest
from channels.db import database_sync_to_async

from chats.models import Message
from conftest import (
    agent_communicator,
    new_client_id,
    receive_until,
    visitor_communicator,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tight_limits(settings):
    settings.CHAT_VISITOR_FRAMES_PER_MINUTE = 1
    settings.CHAT_VISITOR_FRAME_BURST = 3
    settings.CHAT_MAX_SOCKETS_PER_CONVERSATION = 2
    from django.core.cache import cache

    cache.clear()
    return settings


async def test_a_flooding_visitor_is_told_when_to_retry_and_nothing_extra_is_stored(tight_limits, served_chat):
    _, chat = served_chat
    visitor = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await visitor.connect(timeout=5))[0]
    for n in range(3):
        await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": f"m{n}"})
        await receive_until(visitor, lambda f: f["type"] == "ack")
    flood_id = new_client_id()
    await visitor.send_json_to({"type": "message", "client_id": flood_id, "body": "one too many"})
    error = await receive_until(visitor, lambda f: f["type"] == "error")
    assert error["code"] == "rate_limited"
    assert error["client_id"] == flood_id
    assert error["retry_after"] >= 1
    bodies = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation_id=chat.conversation.pk, sender="visitor").values_list(
                "body", flat=True
            )
        )
    )()
    assert bodies == ["m0", "m1", "m2"]
    await visitor.disconnect()


async def test_the_agent_console_is_not_throttled_by_visitor_traffic(tight_limits, served_chat):
    agent, chat = served_chat
    console = await agent_communicator(agent)
    assert (await console.connect(timeout=5))[0]
    await receive_until(console, lambda f: f["type"] == "assigned")
    for n in range(10):
        await console.send_json_to(
            {
                "type": "message",
                "conversation": chat.conversation.pk,
                "client_id": new_client_id(),
                "body": f"reply {n}",
            }
        )
        assert (await receive_until(console, lambda f: f["type"] in {"ack", "error"}))["type"] == "ack"
    await console.disconnect()


async def test_a_visitor_cannot_open_more_sockets_than_allowed(tight_limits, served_chat):
    _, chat = served_chat
    first = visitor_communicator(chat.conversation.pk, chat.token)
    second = visitor_communicator(chat.conversation.pk, chat.token)
    third = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await first.connect(timeout=5))[0]
    assert (await second.connect(timeout=5))[0]
    assert not (await third.connect(timeout=5))[0]
    await first.disconnect()
    again = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await again.connect(timeout=5))[0]  # a closed socket frees its place
    await second.disconnect()
    await again.disconnect()
