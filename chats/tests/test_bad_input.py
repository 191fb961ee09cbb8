"""Bad frames get a clear error frame, keep the connection and store nothing."""

import pytest
from channels.db import database_sync_to_async

from chats.models import Message
from conftest import (
    agent_communicator,
    make_agent,
    make_client,
    new_client_id,
    open_visitor,
    receive_until,
    start_chat,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting(db):
    """Client A served by Ana; client B served by Bea; one chat each."""
    client_a, client_b = make_client("Shop A"), make_client("Shop B")
    ana = make_agent("ana", client_a)
    bea = make_agent("bea", client_b)
    return {"ana": ana, "bea": bea, "chat_a": start_chat(client_a), "chat_b": start_chat(client_b)}


async def error_for(communicator, payload) -> dict:
    if isinstance(payload, str):
        await communicator.send_to(text_data=payload)
    else:
        await communicator.send_json_to(payload)
    return await receive_until(communicator, lambda f: f["type"] == "error")


async def still_open(communicator) -> bool:
    await communicator.send_json_to({"type": "ping"})
    return (await receive_until(communicator, lambda f: f["type"] == "pong"))["type"] == "pong"


def message_count(conversation_id) -> int:
    return Message.objects.filter(conversation_id=conversation_id, sender__in=["visitor", "agent"]).count()


async def test_a_body_over_4000_characters_is_refused_as_too_long(setting):
    visitor = await open_visitor(setting["chat_a"])
    client_id = new_client_id()
    error = await error_for(visitor, {"type": "message", "client_id": client_id, "body": "x" * 4001})
    assert error["code"] == "too_long"
    assert error["client_id"] == client_id
    assert "4000" in error["detail"]
    assert await database_sync_to_async(message_count)(setting["chat_a"].conversation.pk) == 0
    assert await still_open(visitor)
    await visitor.disconnect()


async def test_a_body_of_exactly_4000_characters_is_accepted(setting):
    visitor = await open_visitor(setting["chat_a"])
    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "x" * 4000})
    assert (await receive_until(visitor, lambda f: f["type"] == "ack"))["seq"] >= 1
    await visitor.disconnect()


async def test_an_oversized_frame_is_refused_before_parsing_and_names_its_message(setting):
    visitor = await open_visitor(setting["chat_a"])
    client_id = new_client_id()
    error = await error_for(visitor, '{"type":"message","client_id":"' + client_id + '","body":"' + "y" * 20000 + '"}')
    assert error["code"] == "too_long"
    assert error["client_id"] == client_id
    assert await still_open(visitor)
    await visitor.disconnect()


@pytest.mark.parametrize(
    "raw, code",
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ('{"type": "dance"}', "bad_frame"),
        ('{"type": "message", "client_id": "not-a-uuid", "body": "hi"}', "bad_frame"),
        ('{"type": "message", "client_id": "6f1c7a52-3f3e-4a53-9c55-2f5b8c1d9e10", "body": 42}', "bad_frame"),
        ('{"type": "message", "client_id": "6f1c7a52-3f3e-4a53-9c55-2f5b8c1d9e10", "body": "   "}', "empty"),
        ('{"type": "resume", "after": -1}', "bad_frame"),
        ('{"type": "close", "conversation": 1}', "bad_frame"),
    ],
)
async def test_malformed_frames_get_an_error_and_keep_the_connection(setting, raw, code):
    visitor = await open_visitor(setting["chat_a"])
    error = await error_for(visitor, raw)
    assert error["code"] == code
    assert error["detail"]
    assert await still_open(visitor)
    assert await database_sync_to_async(message_count)(setting["chat_a"].conversation.pk) == 0
    await visitor.disconnect()


async def test_an_agent_cannot_post_in_another_clients_conversation(setting):
    console = await agent_communicator(setting["ana"])
    assert (await console.connect(timeout=5))[0]
    other = setting["chat_b"].conversation.pk
    error = await error_for(
        console, {"type": "message", "conversation": other, "client_id": new_client_id(), "body": "hijack"}
    )
    assert error["code"] == "forbidden"
    assert await database_sync_to_async(message_count)(other) == 0
    error = await error_for(console, {"type": "close", "conversation": other})
    assert error["code"] == "forbidden"
    error = await error_for(console, {"type": "resume", "conversation": other, "after": 0})
    assert error["code"] == "forbidden"
    error = await error_for(console, {"type": "typing", "conversation": other})
    assert error["code"] == "forbidden"
    assert await still_open(console)
    await console.disconnect()


@pytest.fixture
def colleagues(db):
    """Ana and Piotr both serve one client, one chat slot each, one chat each."""
    client = make_client()
    ana = make_agent("ana", client, max_chats=1)
    make_agent("piotr", client, max_chats=1)
    start_chat(client)
    start_chat(client)
    piotr_conversation = client.conversations.exclude(agent=ana).get().pk
    return ana, piotr_conversation


async def test_an_agent_cannot_post_in_a_colleagues_conversation_of_the_same_client(colleagues):
    ana, piotr_conversation = colleagues
    others = {piotr_conversation}
    console = await agent_communicator(ana)
    assert (await console.connect(timeout=5))[0]
    error = await error_for(
        console, {"type": "message", "conversation": others.pop(), "client_id": new_client_id(), "body": "mine now"}
    )
    assert error["code"] == "forbidden"
    await console.disconnect()


async def test_the_agent_socket_refuses_a_foreign_origin(setting):
    console = await agent_communicator(setting["ana"], origin=b"https://evil.example")
    connected, _ = await console.connect(timeout=5)
    assert not connected


async def test_the_agent_socket_refuses_anonymous_users(setting):
    from channels.testing import WebsocketCommunicator

    from agency.asgi import application

    console = WebsocketCommunicator(
        application, "/ws/agent/", headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")]
    )
    connected, _ = await console.connect(timeout=5)
    assert not connected


async def test_the_agent_socket_refuses_users_without_an_agent_profile(setting):
    from django.contrib.auth import get_user_model

    from conftest import session_cookie

    def outsider_cookie():
        return session_cookie(get_user_model().objects.create_user("owner", password="pw"))

    from channels.testing import WebsocketCommunicator

    from agency.asgi import application

    cookie = await database_sync_to_async(outsider_cookie)()
    console = WebsocketCommunicator(
        application,
        "/ws/agent/",
        headers=[(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", cookie)],
    )
    connected, _ = await console.connect(timeout=5)
    assert not connected


async def test_an_agent_cannot_post_in_a_closed_conversation_of_someone_else(setting):
    from chats import services

    chat_b = setting["chat_b"].conversation.pk
    await database_sync_to_async(services.close_conversation)(conversation_id=chat_b)
    console = await agent_communicator(setting["ana"])
    assert (await console.connect(timeout=5))[0]
    for conversation in (chat_b, 999999):
        error = await error_for(
            console, {"type": "message", "conversation": conversation, "client_id": new_client_id(), "body": "hello?"}
        )
        assert error["code"] == "forbidden"
    await console.disconnect()


async def test_closing_an_unknown_conversation_is_forbidden_and_keeps_the_socket(setting):
    console = await agent_communicator(setting["ana"])
    assert (await console.connect(timeout=5))[0]
    error = await error_for(console, {"type": "close", "conversation": 987654})
    assert error["code"] == "forbidden"
    assert await still_open(console)
    await console.disconnect()
