"""A card number pasted into the chat is masked before it is stored or relayed."""

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


async def test_a_visitors_card_number_is_masked_for_everyone_and_the_sender_is_told(served_chat):
    agent, chat = served_chat
    console = await agent_communicator(agent)
    assert (await console.connect(timeout=5))[0]
    await receive_until(console, lambda f: f["type"] == "assigned")
    visitor = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await visitor.connect(timeout=5))[0]
    await visitor.send_json_to(
        {
            "type": "message",
            "client_id": new_client_id(),
            "body": "pay with 4111 1111 1111 1111 please, order 4111111111111112",
        }
    )
    ack = await receive_until(visitor, lambda f: f["type"] == "ack")
    expected = "pay with 4111 11•• •••• 1111 please, order 4111111111111112"
    assert ack["masked"] is True and ack["body"] == expected
    relayed = await receive_until(console, lambda f: f["type"] == "message" and f["sender"] == "visitor")
    assert relayed["body"] == expected
    stored = await database_sync_to_async(
        lambda: Message.objects.get(conversation_id=chat.conversation.pk, seq=ack["seq"]).body
    )()
    assert stored == expected
    await visitor.disconnect()
    await console.disconnect()


async def test_an_agents_card_number_is_masked_too(served_chat):
    agent, chat = served_chat
    console = await agent_communicator(agent)
    assert (await console.connect(timeout=5))[0]
    await receive_until(console, lambda f: f["type"] == "assigned")
    await console.send_json_to(
        {
            "type": "message",
            "conversation": chat.conversation.pk,
            "client_id": new_client_id(),
            "body": "is it 5555555555554444?",
        }
    )
    ack = await receive_until(console, lambda f: f["type"] == "ack")
    assert ack["body"] == "is it 555555••••••4444?"
    await console.disconnect()


async def test_plain_messages_are_acked_without_a_body(served_chat):
    _, chat = served_chat
    visitor = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await visitor.connect(timeout=5))[0]
    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "call +34 612 345 678"})
    ack = await receive_until(visitor, lambda f: f["type"] == "ack")
    assert "body" not in ack and "masked" not in ack
    await visitor.disconnect()
