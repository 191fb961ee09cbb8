"""Who may open a visitor socket."""

import pytest
from channels.db import database_sync_to_async

from conftest import make_agent, make_client, start_chat, visitor_communicator

pytestmark = pytest.mark.django_db(transaction=True)


async def connects(communicator) -> bool:
    connected, _ = await communicator.connect(timeout=5)
    await communicator.disconnect()
    return connected


@pytest.fixture
def chat(db):
    client = make_client(allowed_origins="https://shop.example")
    return start_chat(client)


async def test_the_right_token_opens_the_conversation(chat):
    communicator = visitor_communicator(chat.conversation.pk, chat.token, origin=b"https://shop.example")
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    frame = await communicator.receive_json_from(timeout=5)
    assert frame == {
        "type": "status",
        "conversation": chat.conversation.pk,
        "status": "queued",
        "queue_position": 1,
        "agent": None,
        # issue 11's honest queue: nobody serves this client, so no estimate and the offer at once
        "estimated_wait_seconds": None,
        "leave_message_offered": True,
        "leave_message_offered_in_seconds": None,
    }
    await communicator.disconnect()


async def test_a_wrong_token_is_refused(chat):
    assert not await connects(visitor_communicator(chat.conversation.pk, "guess", origin=b"https://shop.example"))


async def test_a_missing_token_is_refused(chat):
    assert not await connects(visitor_communicator(chat.conversation.pk, "", origin=b"https://shop.example"))


async def test_an_unknown_conversation_is_refused(chat):
    assert not await connects(
        visitor_communicator(chat.conversation.pk + 1000, chat.token, origin=b"https://shop.example")
    )


async def test_a_token_opens_only_its_own_conversation(chat):
    other = await database_sync_to_async(lambda: start_chat(chat.conversation.client, name="Other"))()
    assert not await connects(visitor_communicator(other.conversation.pk, chat.token, origin=b"https://shop.example"))


async def test_a_disallowed_origin_is_refused(chat):
    assert not await connects(visitor_communicator(chat.conversation.pk, chat.token, origin=b"https://evil.example"))
    assert not await connects(
        visitor_communicator(chat.conversation.pk, chat.token, origin=b"https://shop.example.evil.example")
    )


@pytest.fixture
def served_chat(db):
    client = make_client()
    make_agent("ana", client)
    return start_chat(client)


async def test_an_active_chat_reports_its_agent(served_chat):
    chat = served_chat
    communicator = visitor_communicator(chat.conversation.pk, chat.token)
    await communicator.connect(timeout=5)
    frame = await communicator.receive_json_from(timeout=5)
    assert frame["status"] == "active"
    assert frame["agent"] == {"name": "Ana"}
    await communicator.disconnect()
