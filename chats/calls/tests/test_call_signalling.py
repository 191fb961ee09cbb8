"""Calls over the chat sockets: offer, answer, SDP and ICE relayed, the call log kept (docs/protocol.md, Calls)."""

import pytest
from channels.db import database_sync_to_async

from chats.calls.models import Call
from chats.models import Message
from conftest import open_agent, open_visitor, receive_until

pytestmark = pytest.mark.django_db(transaction=True)

SDP_OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
CANDIDATE = {
    "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
    "usernameFragment": "abcd",
}


def is_call(status):
    return lambda f: f["type"] == "call" and f["call"]["status"] == status


def system_lines(conversation_id):
    return list(Message.objects.filter(conversation_id=conversation_id, sender="system").values_list("body", flat=True))


async def start_call(agent, chat):
    """Agent and visitor sockets with an accepted video call between them."""
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    conversation = chat.conversation.pk
    await receive_until(console, lambda f: f["type"] == "assigned")
    await console.send_json_to({"type": "call.offer", "conversation": conversation, "kind": "video"})
    offered = await receive_until(visitor, is_call("offered"))
    call_id = offered["call"]["id"]
    await visitor.send_json_to({"type": "call.accept", "call": call_id})
    await receive_until(console, is_call("accepted"))
    return console, visitor, conversation, call_id


async def test_an_offer_reaches_the_visitor_with_the_ice_servers_and_is_logged(served_chat, settings):
    settings.CHAT_ICE_SERVERS = [{"urls": "stun:stun.example:3478"}]
    agent, chat = served_chat
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    await receive_until(console, lambda f: f["type"] == "assigned")
    await console.send_json_to({"type": "call.offer", "conversation": chat.conversation.pk, "kind": "voice"})
    frames = [await visitor.receive_json_from(timeout=5) for _ in range(2)]
    offered = next(f for f in frames if f["type"] == "call")
    line = next(f for f in frames if f["type"] == "message")
    assert offered["call"]["status"] == "offered"
    assert offered["ice_servers"] == [{"urls": "stun:stun.example:3478"}]
    assert offered["call"]["kind"] == "voice"
    assert line["body"] == "Ana offered a voice call."
    assert (await receive_until(console, is_call("offered")))["call"]["id"] == offered["call"]["id"]
    await console.disconnect()
    await visitor.disconnect()


async def test_sdp_and_ice_are_relayed_to_the_other_side_only(served_chat):
    agent, chat = served_chat
    console, visitor, conversation, call_id = await start_call(*served_chat)
    await console.send_json_to(
        {
            "type": "call.sdp",
            "conversation": conversation,
            "call": call_id,
            "description": {"type": "offer", "sdp": SDP_OFFER, "extra": "dropped"},
        }
    )
    relayed = await receive_until(visitor, lambda f: f["type"] == "call.sdp")
    assert relayed == {
        "type": "call.sdp",
        "conversation": conversation,
        "call": call_id,
        "description": {"type": "offer", "sdp": SDP_OFFER},
    }
    await visitor.send_json_to({"type": "call.ice", "call": call_id, "candidate": CANDIDATE})
    relayed = await receive_until(console, lambda f: f["type"] == "call.ice")
    assert relayed["candidate"] == CANDIDATE
    await visitor.send_json_to({"type": "call.ice", "call": call_id, "candidate": None})
    assert (await receive_until(console, lambda f: f["type"] == "call.ice"))["candidate"] is None
    assert await visitor.receive_nothing(timeout=0.3)  # no echo of its own signals
    await console.disconnect()
    await visitor.disconnect()


async def test_connected_then_hung_up_is_logged_with_its_duration(served_chat):
    agent, chat = served_chat
    console, visitor, conversation, call_id = await start_call(*served_chat)
    await visitor.send_json_to({"type": "call.connected", "call": call_id})
    await console.send_json_to({"type": "call.connected", "conversation": conversation, "call": call_id})
    connected = await receive_until(console, is_call("connected"))
    assert connected["call"]["connected_at"]
    await console.send_json_to({"type": "call.hangup", "conversation": conversation, "call": call_id})
    ended = await receive_until(visitor, is_call("ended"))
    assert ended["call"]["ended_by"] == "agent"
    assert ended["call"]["duration_seconds"] == 0
    call = await Call.objects.aget(pk=call_id)
    assert (call.status, call.kind, call.ended_by) == ("ended", "video", "agent")
    assert call.answered_at and call.connected_at and call.ended_at
    lines = await database_sync_to_async(system_lines)(conversation)
    assert lines[-2:] == ["Ana offered a video call.", "The video call ended after 0:00."]
    await console.disconnect()
    await visitor.disconnect()


async def test_a_declined_call_is_logged_and_announced_to_the_agent(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    await receive_until(console, lambda f: f["type"] == "assigned")
    await console.send_json_to({"type": "call.offer", "conversation": chat.conversation.pk, "kind": "video"})
    call_id = (await receive_until(visitor, is_call("offered")))["call"]["id"]
    await visitor.send_json_to({"type": "call.decline", "call": call_id})
    declined = await receive_until(console, is_call("declined"))
    assert declined["call"]["ended_by"] == "visitor"
    assert "The video call was declined." in await database_sync_to_async(system_lines)(chat.conversation.pk)
    await console.disconnect()
    await visitor.disconnect()


async def test_closing_the_chat_ends_its_call(served_chat):
    agent, chat = served_chat
    console, visitor, conversation, call_id = await start_call(*served_chat)
    await console.send_json_to({"type": "close", "conversation": conversation})
    ended = await receive_until(visitor, is_call("ended"))
    assert ended["call"]["ended_by"] == "system"
    await console.disconnect()
    await visitor.disconnect()


async def test_a_socket_that_reconnects_learns_of_the_open_call(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    await receive_until(console, lambda f: f["type"] == "assigned")
    await console.send_json_to({"type": "call.offer", "conversation": chat.conversation.pk, "kind": "voice"})
    call_id = (await receive_until(visitor, is_call("offered")))["call"]["id"]
    await visitor.disconnect()
    await console.disconnect()
    visitor = await open_visitor(chat)  # a reload: the offer is there to answer
    assert (await receive_until(visitor, is_call("offered")))["call"]["id"] == call_id
    console = await open_agent(agent)  # and the console may hang it up
    await receive_until(console, is_call("offered"))
    await console.send_json_to({"type": "call.hangup", "conversation": chat.conversation.pk, "call": call_id})
    assert (await receive_until(visitor, is_call("ended")))["call"]["ended_by"] == "agent"
    await console.disconnect()
    await visitor.disconnect()
