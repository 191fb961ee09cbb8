"""The guarantees of docs/protocol.md: acks after commit, dedupe, order, resume, catch-up."""

import pytest
from channels.db import database_sync_to_async

from chats import events
from chats.models import Message
from conftest import (
    new_client_id,
    open_agent,
    open_visitor,
    receive_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def stored(conversation_id):
    return list(Message.objects.filter(conversation_id=conversation_id).order_by("seq").values_list("seq", "body"))


async def test_a_message_is_acked_only_once_it_is_committed(served_chat):
    _, chat = served_chat
    visitor = await open_visitor(chat)
    client_id = new_client_id()
    await visitor.send_json_to({"type": "message", "client_id": client_id, "body": "Where is my order?"})
    ack = await receive_until(visitor, lambda f: f["type"] == "ack")
    # Read from another connection: the ack must describe committed data.
    rows = await database_sync_to_async(stored)(chat.conversation.pk)
    assert (ack["seq"], "Where is my order?") in rows
    assert ack == {"type": "ack", "conversation": chat.conversation.pk, "client_id": client_id, "seq": ack["seq"]}
    await visitor.disconnect()


async def test_the_same_client_id_twice_is_stored_once_and_acked_with_the_same_seq(served_chat):
    _, chat = served_chat
    visitor = await open_visitor(chat)
    client_id = new_client_id()
    frame = {"type": "message", "client_id": client_id, "body": "Hello"}
    await visitor.send_json_to(frame)
    first = await receive_until(visitor, lambda f: f["type"] == "ack")
    await visitor.send_json_to(frame)
    second = await receive_until(visitor, lambda f: f["type"] == "ack")
    assert first["seq"] == second["seq"]
    rows = await database_sync_to_async(stored)(chat.conversation.pk)
    assert [body for _, body in rows].count("Hello") == 1
    await visitor.disconnect()


async def test_seqs_increase_without_gaps_across_both_sides(served_chat):
    agent, chat = served_chat
    visitor = await open_visitor(chat)
    console = await open_agent(agent)
    conversation = chat.conversation.pk
    for n in range(5):
        await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": f"v{n}"})
        await receive_until(visitor, lambda f: f["type"] == "ack")
        await console.send_json_to(
            {"type": "message", "conversation": conversation, "client_id": new_client_id(), "body": f"a{n}"}
        )
        await receive_until(console, lambda f: f["type"] == "ack")
    rows = await database_sync_to_async(stored)(conversation)
    assert [seq for seq, _ in rows] == list(range(1, len(rows) + 1))
    await visitor.disconnect()
    await console.disconnect()


async def test_resume_delivers_every_later_message_in_order(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    for n in range(4):
        await console.send_json_to(
            {
                "type": "message",
                "conversation": chat.conversation.pk,
                "client_id": new_client_id(),
                "body": f"reply {n}",
            }
        )
        await receive_until(console, lambda f: f["type"] == "ack")
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "resume", "after": 2})
    seqs = []
    while len(seqs) < 3:
        frame = await receive_until(visitor, lambda f: f["type"] == "message")
        seqs.append(frame["seq"])
    assert seqs == [3, 4, 5]  # seq 1 is the "Ana joined" line
    await visitor.disconnect()
    await console.disconnect()


async def test_the_agent_receives_visitor_messages_sent_before_they_connected(served_chat):
    agent, chat = served_chat
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "Anyone there?"})
    await receive_until(visitor, lambda f: f["type"] == "ack")
    console = await open_agent(agent)
    assigned = await receive_until(console, lambda f: f["type"] == "assigned")
    assert assigned["conversation"]["id"] == chat.conversation.pk
    message = await receive_until(console, lambda f: f["type"] == "message" and f["sender"] == "visitor")
    assert message["body"] == "Anyone there?"
    await visitor.disconnect()
    await console.disconnect()


async def test_an_agent_reply_reaches_the_visitor_live(served_chat):
    agent, chat = served_chat
    visitor = await open_visitor(chat)
    console = await open_agent(agent)
    await receive_until(console, lambda f: f["type"] == "assigned")
    await console.send_json_to(
        {"type": "message", "conversation": chat.conversation.pk, "client_id": new_client_id(), "body": "Hi, I'm Ana"}
    )
    frame = await receive_until(visitor, lambda f: f["type"] == "message" and f["sender"] == "agent")
    assert frame["body"] == "Hi, I'm Ana"
    assert frame["author"] == "Ana"
    await visitor.disconnect()
    await console.disconnect()


async def test_a_lost_doorbell_is_healed_by_the_next_heartbeat(served_chat, monkeypatch):
    agent, chat = served_chat
    visitor = await open_visitor(chat)
    console = await open_agent(agent)
    await receive_until(console, lambda f: f["type"] == "assigned")
    monkeypatch.setattr(events, "send_now", lambda group, event: None)  # the layer drops everything
    await console.send_json_to(
        {"type": "message", "conversation": chat.conversation.pk, "client_id": new_client_id(), "body": "dropped ring"}
    )
    await receive_until(console, lambda f: f["type"] == "ack")
    await visitor.send_json_to({"type": "ping"})
    frame = await receive_until(visitor, lambda f: f["type"] == "message")
    assert frame["body"] == "dropped ring"
    await visitor.disconnect()
    await console.disconnect()


async def test_typing_reaches_the_other_side_only(served_chat):
    agent, chat = served_chat
    visitor = await open_visitor(chat)
    console = await open_agent(agent)
    await receive_until(console, lambda f: f["type"] == "assigned")
    await visitor.send_json_to({"type": "typing"})
    frame = await receive_until(console, lambda f: f["type"] == "typing")
    assert frame == {"type": "typing", "conversation": chat.conversation.pk, "sender": "visitor"}
    await console.send_json_to({"type": "typing", "conversation": chat.conversation.pk})
    frame = await receive_until(visitor, lambda f: f["type"] == "typing")
    assert frame["sender"] == "agent"
    await visitor.disconnect()
    await console.disconnect()


async def test_closing_tells_both_sides(served_chat):
    agent, chat = served_chat
    visitor = await open_visitor(chat)
    console = await open_agent(agent)
    await receive_until(console, lambda f: f["type"] == "assigned")
    await console.send_json_to({"type": "close", "conversation": chat.conversation.pk})
    closing_line = await receive_until(
        visitor, lambda f: f["type"] == "message" and f["sender"] == "system" and "ended" in f["body"]
    )
    assert closing_line["seq"] > 1
    status = await receive_until(visitor, lambda f: f["type"] == "status")
    assert status["status"] == "closed"
    status = await receive_until(console, lambda f: f["type"] == "status")
    assert status == {
        "type": "status",
        "conversation": chat.conversation.pk,
        "status": "closed",
        "queue_position": 0,
        "agent": None,
    }
    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "late"})
    error = await receive_until(visitor, lambda f: f["type"] == "error")
    assert error["code"] == "closed"
    await visitor.disconnect()
    await console.disconnect()
