"""From the floor a supervisor monitors a chat live, whispers to its agent and takes it over."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import Group

from agency import roles
from agency.models import Agent
from chats.models import Conversation
from conftest import (
    make_agent,
    make_client,
    new_client_id,
    open_agent,
    open_visitor,
    receive_until,
    start_chat,
)
from reports.tests.personas import logged_in
from supervision.tests.test_floor_socket import floor_socket, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def supervised_shop():
    shop = make_client("Shop")
    ana = make_agent("ana", shop)
    chat = start_chat(shop)
    sara = make_agent("sara", max_chats=2)  # a supervisor with an agent profile (serves no client)
    sara.user.groups.add(Group.objects.get_or_create(name=roles.SUPERVISOR)[0])
    return ana, chat, sara


async def open_floor(user):
    socket = await floor_socket(user)
    assert (await socket.connect(timeout=5))[0]
    await receive_until(socket, lambda f: f["type"] == "floor")
    return socket


async def test_a_supervisor_monitors_a_chat_with_its_history_and_live_messages():
    ana, chat, sara = await database_sync_to_async(supervised_shop)()
    conversation = chat.conversation.pk
    visitor = await open_visitor(chat)
    floor = await open_floor(sara.user)
    await floor.send_json_to({"type": "monitor", "conversation": conversation})
    monitoring = await receive_until(floor, lambda f: f["type"] == "monitoring")
    assert monitoring["conversation"]["id"] == conversation and monitoring["conversation"]["agent"] == {"name": "Ana"}
    await receive_until(floor, lambda f: f["type"] == "message" and f["sender"] == "system")
    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "Is anyone there?"})
    live = await receive_until(floor, lambda f: f["type"] == "message" and f["sender"] == "visitor")
    assert live["body"] == "Is anyone there?"
    await visitor.disconnect()
    await floor.disconnect()


async def test_a_whisper_reaches_the_agent_as_an_internal_note_and_not_the_visitor():
    ana, chat, sara = await database_sync_to_async(supervised_shop)()
    conversation = chat.conversation.pk
    visitor = await open_visitor(chat)
    console = await open_agent(ana)
    floor = await open_floor(sara.user)
    client_id = new_client_id()
    await floor.send_json_to(
        {"type": "whisper", "conversation": conversation, "client_id": client_id, "body": "Offer the 10% voucher"}
    )
    ack = await receive_until(floor, lambda f: f["type"] == "ack")
    assert ack["client_id"] == client_id
    note = await receive_until(console, lambda f: f["type"] == "message" and f.get("internal"))
    assert (note["body"], note["author"], note["seq"]) == ("Offer the 10% voucher", "Sara", ack["seq"])
    await console.send_json_to(
        {"type": "message", "conversation": conversation, "client_id": new_client_id(), "body": "Here is a voucher"}
    )
    seen = []
    await receive_until(visitor, lambda f: seen.append(f) or f.get("body") == "Here is a voucher")
    assert not any("10%" in str(frame) for frame in seen)
    for socket in (visitor, console, floor):
        await socket.disconnect()


async def test_a_take_over_makes_the_supervisor_the_agent_and_leaves_the_previous_one_read_only():
    ana, chat, sara = await database_sync_to_async(supervised_shop)()
    conversation = chat.conversation.pk
    console = await open_agent(ana)
    await receive_until(console, lambda f: f["type"] == "assigned")
    floor = await open_floor(sara.user)
    await floor.send_json_to({"type": "take_over", "conversation": conversation})
    await receive_until(floor, lambda f: f["type"] == "took_over")
    seen = []
    taken = await receive_until(console, lambda f: seen.append(f) or f["type"] == "taken_over")
    assert taken["by"] == {"name": "Sara"}
    assert "You are now chatting with Sara." in [f.get("body") for f in seen]
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "still there?"})
    await receive_until(console, lambda f: f.get("body") == "still there?")  # the previous agent still watches
    await visitor.disconnect()
    await console.send_json_to(
        {"type": "message", "conversation": conversation, "client_id": new_client_id(), "body": "me again"}
    )
    assert (await receive_until(console, lambda f: f["type"] == "error"))["code"] == "forbidden"
    agent_id = await database_sync_to_async(lambda: Conversation.objects.get(pk=conversation).agent_id)()
    assert agent_id == sara.pk
    slots = await database_sync_to_async(
        lambda: dict(Agent.objects.filter(pk__in=[ana.pk, sara.pk]).values_list("pk", "active_chats"))
    )()
    assert slots == {ana.pk: 0, sara.pk: 1}
    await console.disconnect()
    await floor.disconnect()


async def take_over_and_watch_the_visitor(chat, user) -> list[dict]:
    """Take the chat over from the floor as `user`; what the visitor's socket received meanwhile."""
    visitor = await open_visitor(chat)
    floor = await open_floor(user)
    await floor.send_json_to({"type": "take_over", "conversation": chat.conversation.pk})
    await receive_until(floor, lambda f: f["type"] in {"took_over", "error"})
    seen = []

    def heard_both(frame: dict) -> bool:
        seen.append(frame)
        return any(f["type"] == "status" and f["agent"] != {"name": "Ana"} for f in seen) and any(
            "You are now chatting with" in f.get("body", "") for f in seen
        )

    await receive_until(visitor, heard_both)
    await visitor.disconnect()
    await floor.disconnect()
    return seen


async def test_a_supervisor_without_an_agent_profile_takes_over_with_one_made_on_the_spot():
    _, chat, _ = await database_sync_to_async(supervised_shop)()
    adam = await database_sync_to_async(make_user)("adam", role=roles.SUPERVISOR)
    await database_sync_to_async(type(adam).objects.filter(pk=adam.pk).update)(first_name="Adam")
    seen = await take_over_and_watch_the_visitor(chat, adam)
    assert [f["agent"] for f in seen if f["type"] == "status"][-1] == {"name": "Adam"}
    assert "You are now chatting with Adam." in [f.get("body") for f in seen]
    agent = await database_sync_to_async(Agent.objects.get)(user=adam)
    conversation = await database_sync_to_async(Conversation.objects.get)(pk=chat.conversation.pk)
    assert conversation.agent_id == agent.pk and agent.active_chats == 1
    assert agent.presence == "offline"  # routing gives the supervisor no chat of their own
    assert await database_sync_to_async(lambda: list(agent.clients.values_list("pk", flat=True)))() == [
        conversation.client_id
    ]
    briefing = await database_sync_to_async(
        lambda: logged_in(adam).get(f"/console/api/clients/{conversation.client_id}/briefing/").status_code
    )()
    assert briefing == 200  # their console shows the client's briefing beside the chat


async def test_the_visitor_never_sees_the_supervisors_username():
    _, chat, _ = await database_sync_to_async(supervised_shop)()
    admin = await database_sync_to_async(make_user)("admin", superuser=True)  # like the demo's: no name given
    seen = await take_over_and_watch_the_visitor(chat, admin)
    assert [f["agent"] for f in seen if f["type"] == "status"][-1] == {"name": "Agent"}
    assert "You are now chatting with Agent." in [f.get("body") for f in seen]
    assert "admin" not in str(seen)


async def test_an_agent_or_a_client_user_cannot_monitor_whisper_or_take_over():
    ana, chat, _ = await database_sync_to_async(supervised_shop)()
    socket = await floor_socket(ana.user)  # an agent of the very client: not a supervisor
    assert not (await socket.connect(timeout=5))[0]


async def test_unknown_and_closed_conversations_and_bad_frames_are_refused():
    _, chat, sara = await database_sync_to_async(supervised_shop)()
    floor = await open_floor(sara.user)
    await floor.send_json_to({"type": "monitor", "conversation": 999999})
    assert (await receive_until(floor, lambda f: f["type"] == "error"))["code"] == "forbidden"
    await floor.send_json_to({"type": "whisper", "conversation": chat.conversation.pk, "client_id": "x", "body": 1})
    assert (await receive_until(floor, lambda f: f["type"] == "error"))["code"] == "bad_frame"
    await floor.send_to(text_data="[]")
    assert (await receive_until(floor, lambda f: f["type"] == "error"))["code"] == "bad_json"
    await database_sync_to_async(Conversation.objects.filter(pk=chat.conversation.pk).update)(status="closed")
    await floor.send_json_to({"type": "monitor", "conversation": chat.conversation.pk})
    assert (await receive_until(floor, lambda f: f["type"] == "error"))["code"] == "closed"
    await floor.disconnect()


async def test_a_monitored_chat_escalated_to_a_call_keeps_the_floor_socket_open():
    ana, chat, sara = await database_sync_to_async(supervised_shop)()
    conversation = chat.conversation.pk
    floor = await open_floor(sara.user)
    await floor.send_json_to({"type": "monitor", "conversation": conversation})
    await receive_until(floor, lambda f: f["type"] == "monitoring")
    console = await open_agent(ana)
    await receive_until(console, lambda f: f["type"] == "assigned")
    await console.send_json_to({"type": "call.offer", "conversation": conversation, "kind": "voice"})
    await receive_until(console, lambda f: f["type"] == "call")
    # the call's doorbells came and went: the socket still answers
    await floor.send_json_to(
        {
            "type": "whisper",
            "conversation": conversation,
            "client_id": new_client_id(),
            "body": "Offer the callback if the line is bad",
        }
    )
    await receive_until(floor, lambda f: f["type"] == "ack")
    await console.disconnect()
    await floor.disconnect()
