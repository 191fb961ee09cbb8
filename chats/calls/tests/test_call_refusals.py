"""Each call frame refuses what it should: other conversations, closed chats, other agents, bad input."""

import pytest
from channels.db import database_sync_to_async

from chats.calls.models import Call
from conftest import make_agent, make_client, open_agent, open_visitor, receive_until, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def is_error(code):
    return lambda f: f["type"] == "error" and f["code"] == code


def is_call(status):
    return lambda f: f["type"] == "call" and f["call"]["status"] == status


async def offer(console, visitor, conversation, kind="video"):
    await console.send_json_to({"type": "call.offer", "conversation": conversation, "kind": kind})
    return (await receive_until(visitor, is_call("offered")))["call"]["id"]


@pytest.fixture
def two_chats(db):
    """Ana serves one client with two visitors' chats."""
    client = make_client()
    agent = make_agent("ana", client)
    return agent, start_chat(client, "Maria"), start_chat(client, "Jan")


async def test_a_visitor_cannot_answer_or_signal_a_call_of_another_conversation(two_chats):
    agent, first, second = two_chats
    console = await open_agent(agent)
    maria, jan = await open_visitor(first), await open_visitor(second)
    call_id = await offer(console, maria, first.conversation.pk)
    for frame in (
        {"type": "call.accept", "call": call_id},
        {"type": "call.decline", "call": call_id},
        {"type": "call.hangup", "call": call_id},
        {"type": "call.connected", "call": call_id},
        {"type": "call.ice", "call": call_id, "candidate": None},
        {"type": "call.accept", "call": call_id, "conversation": first.conversation.pk},
    ):
        await jan.send_json_to(frame)
        await receive_until(jan, is_error("forbidden"))
    assert (await Call.objects.aget(pk=call_id)).status == "offered"
    for communicator in (console, maria, jan):
        await communicator.disconnect()


async def test_a_visitor_cannot_offer_a_call(served_chat):
    _, chat = served_chat
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "call.offer", "kind": "video"})
    await receive_until(visitor, is_error("bad_frame"))
    await visitor.disconnect()


async def test_call_frames_on_a_closed_chat_are_refused(served_chat):
    agent, chat = served_chat
    conversation = chat.conversation.pk
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    call_id = await offer(console, visitor, conversation)
    await console.send_json_to({"type": "close", "conversation": conversation})
    await receive_until(visitor, is_call("ended"))
    await console.send_json_to({"type": "call.offer", "conversation": conversation, "kind": "voice"})
    await receive_until(console, is_error("closed"))
    for frame in (
        {"type": "call.accept", "call": call_id},
        {"type": "call.hangup", "call": call_id},
        {"type": "call.connected", "call": call_id},
    ):
        await visitor.send_json_to(frame)
        await receive_until(visitor, is_error("closed"))
    assert await Call.objects.filter(conversation_id=conversation).acount() == 1
    await console.disconnect()
    await visitor.disconnect()


async def test_signals_on_a_chat_closed_mid_call_are_refused(served_chat):
    agent, chat = served_chat
    conversation = chat.conversation.pk
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    call_id = await offer(console, visitor, conversation)
    await visitor.send_json_to({"type": "call.accept", "call": call_id})
    await receive_until(console, is_call("accepted"))
    await database_sync_to_async(chat.conversation.__class__.objects.filter(pk=conversation).update)(status="closed")
    await visitor.send_json_to({"type": "call.ice", "call": call_id, "candidate": None})
    await receive_until(visitor, is_error("closed"))
    await console.disconnect()
    await visitor.disconnect()


async def test_an_agent_who_does_not_have_the_chat_cannot_offer_or_end_its_call(served_chat):
    agent, chat = served_chat
    conversation = chat.conversation.pk
    colleague = await database_sync_to_async(make_agent)("piotr", chat.conversation.client_id)
    outsider = await database_sync_to_async(make_agent)("olga", await database_sync_to_async(make_client)("Other"))
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    call_id = await offer(console, visitor, conversation)
    for other in (colleague, outsider):
        socket = await open_agent(other)
        await socket.send_json_to({"type": "call.offer", "conversation": conversation, "kind": "video"})
        await receive_until(socket, is_error("forbidden"))
        await socket.send_json_to({"type": "call.hangup", "conversation": conversation, "call": call_id})
        await receive_until(socket, is_error("forbidden"))
        await socket.disconnect()
    assert (await Call.objects.aget(pk=call_id)).status == "offered"
    await console.disconnect()
    await visitor.disconnect()


async def test_a_second_offer_while_a_call_is_open_is_refused(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    await offer(console, visitor, chat.conversation.pk)
    await console.send_json_to({"type": "call.offer", "conversation": chat.conversation.pk, "kind": "voice"})
    await receive_until(console, is_error("call_busy"))
    await console.disconnect()
    await visitor.disconnect()


async def test_signals_before_the_call_is_accepted_are_refused(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    call_id = await offer(console, visitor, chat.conversation.pk)
    await console.send_json_to(
        {
            "type": "call.sdp",
            "conversation": chat.conversation.pk,
            "call": call_id,
            "description": {"type": "offer", "sdp": "v=0\r\n"},
        }
    )
    await receive_until(console, is_error("call_ended"))
    await console.disconnect()
    await visitor.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "call.accept"}, "bad_frame"),
        ({"type": "call.accept", "call": "1"}, "bad_frame"),
        ({"type": "call.accept", "call": True}, "bad_frame"),
        ({"type": "call.sdp", "call": 1, "description": {"type": "offer", "sdp": "v=0"}}, "bad_frame"),
        (
            {"type": "call.sdp", "call": 1, "description": {"type": "answer", "sdp": "v=0\r\n" + "a" * 12001}},
            "too_long",
        ),
        ({"type": "call.sdp", "call": 1, "description": {"type": "answer", "sdp": "v=0\x00"}}, "invalid"),
        ({"type": "call.ice", "call": 1, "candidate": {"candidate": "x"}}, "bad_frame"),
        ({"type": "call.ice", "call": 1, "candidate": {"candidate": "x\n", "sdpMid": "0"}}, "invalid"),
        ({"type": "call.ice", "call": 1, "candidate": {"candidate": "x" * 1025, "sdpMid": "0"}}, "too_long"),
        ({"type": "call.ice", "call": 1, "candidate": "candidate:1"}, "bad_frame"),
    ],
)
async def test_malformed_call_frames_get_a_clear_error(served_chat, frame, code):
    _, chat = served_chat
    visitor = await open_visitor(chat)
    await visitor.send_json_to(frame)
    await receive_until(visitor, is_error(code))
    await visitor.disconnect()


async def test_an_unknown_call_kind_is_refused(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    await console.send_json_to({"type": "call.offer", "conversation": chat.conversation.pk, "kind": "hologram"})
    await receive_until(console, is_error("bad_frame"))
    await console.disconnect()
