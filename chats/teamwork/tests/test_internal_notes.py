"""Internal notes: stored with their own seq, shown to agents, never to the visitor."""

import pytest
from channels.db import database_sync_to_async

from chats.models import Message
from chats.transcript import message_frames_after
from conftest import new_client_id, open_agent, open_visitor, receive_until, visitor_communicator

pytestmark = pytest.mark.django_db(transaction=True)


async def post_note(console, conversation_id, body="VIP, refund approved"):
    await console.send_json_to(
        {
            "type": "message",
            "conversation": conversation_id,
            "client_id": new_client_id(),
            "body": body,
            "internal": True,
        }
    )
    return await receive_until(console, lambda f: f["type"] == "ack")


async def test_an_internal_note_is_stored_with_its_own_seq_and_shown_to_the_agent(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    ack = await post_note(console, chat.conversation.pk)
    note = await database_sync_to_async(Message.objects.get)(conversation_id=chat.conversation.pk, seq=ack["seq"])
    assert note.is_internal and note.body == "VIP, refund approved"
    frames = await database_sync_to_async(message_frames_after)(conversation_id=chat.conversation.pk, after=0)
    assert {"seq": ack["seq"], "internal": True}.items() <= frames[-1].items()
    await console.disconnect()


async def test_an_internal_note_never_reaches_the_visitor_socket(served_chat):
    agent, chat = served_chat
    visitor = await open_visitor(chat)
    console = await open_agent(agent)
    await post_note(console, chat.conversation.pk)
    await console.send_json_to(
        {"type": "message", "conversation": chat.conversation.pk, "client_id": new_client_id(), "body": "Hello Maria"}
    )
    seen = []
    while True:
        frame = await visitor.receive_json_from(timeout=5)
        seen.append(frame)
        if frame.get("body") == "Hello Maria":
            break
    assert not any("VIP" in str(frame) for frame in seen)
    await visitor.disconnect()
    await console.disconnect()


async def test_the_visitors_history_and_resume_skip_internal_notes(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    await post_note(console, chat.conversation.pk)
    visitor = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await visitor.connect(timeout=5))[0]
    await visitor.send_json_to({"type": "resume", "after": 0})
    await visitor.send_json_to({"type": "ping"})
    seen = []
    while True:
        frame = await visitor.receive_json_from(timeout=5)
        if frame["type"] == "pong":
            break
        seen.append(frame)
    assert [f for f in seen if f["type"] == "message"]  # the join line is there, the note is not
    assert not any("VIP" in str(frame) for frame in seen)
    await visitor.disconnect()
    await console.disconnect()


async def test_a_visitor_sending_internal_is_refused_and_nothing_is_stored(served_chat):
    _, chat = served_chat
    visitor = await open_visitor(chat)
    client_id = new_client_id()
    await visitor.send_json_to({"type": "message", "client_id": client_id, "body": "sneaky", "internal": True})
    error = await receive_until(visitor, lambda f: f["type"] == "error")
    assert error["code"] == "bad_frame"
    assert not await database_sync_to_async(Message.objects.filter(body="sneaky").exists)()
    await visitor.disconnect()


async def test_an_internal_note_does_not_count_as_the_first_response(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    await post_note(console, chat.conversation.pk)
    await database_sync_to_async(chat.conversation.refresh_from_db)()
    assert chat.conversation.first_response_at is None
    await console.disconnect()
