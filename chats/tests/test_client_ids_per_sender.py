"""A client_id is de-duplicated per sender: the agent reusing the visitor's id is its own message.

Each side's retry with the same client_id is still stored once and acked with the same seq.
"""

import uuid

import pytest
from channels.db import database_sync_to_async

from chats.models import Message, SenderKind
from conftest import open_agent, open_visitor, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


async def send_and_get_ack(socket, frame: dict) -> dict:
    await socket.send_json_to(frame)
    return await receive_until(socket, lambda f: f.get("client_id") == frame["client_id"] and f["type"] != "message")


async def test_the_visitor_and_the_agent_may_use_the_same_client_id(served_chat):
    agent, chat = served_chat
    conversation = chat.conversation.pk
    visitor = await open_visitor(chat)
    console = await open_agent(agent)
    await receive_until(console, lambda f: f["type"] == "assigned")
    shared = str(uuid.uuid4())
    from_visitor = {"type": "message", "client_id": shared, "body": "Hi, is it in stock?"}
    from_agent = {"type": "message", "conversation": conversation, "client_id": shared, "body": "Yes, it is."}

    visitor_ack = await send_and_get_ack(visitor, from_visitor)
    agent_ack = await send_and_get_ack(console, from_agent)
    assert visitor_ack["type"] == agent_ack["type"] == "ack"
    assert visitor_ack["seq"] != agent_ack["seq"]
    assert (await send_and_get_ack(visitor, from_visitor))["seq"] == visitor_ack["seq"]
    assert (await send_and_get_ack(console, from_agent))["seq"] == agent_ack["seq"]

    stored = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation_id=conversation)
            .exclude(sender=SenderKind.SYSTEM)
            .order_by("seq")
            .values_list("seq", "sender", "body")
        )
    )()
    assert stored == [
        (visitor_ack["seq"], "visitor", "Hi, is it in stock?"),
        (agent_ack["seq"], "agent", "Yes, it is."),
    ]
    await visitor.disconnect()
    await console.disconnect()
