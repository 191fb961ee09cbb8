"""The sockets' metrics are kept where sockets open, close, refuse and relay (core.sockets' template)."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from prometheus_client import REGISTRY

from agency.asgi import application
from chats.models import Conversation
from conftest import (
    agent_communicator,
    make_agent,
    make_client,
    new_client_id,
    open_agent,
    open_visitor,
    receive_until,
    start_chat,
    visitor_communicator,
)

pytestmark = pytest.mark.django_db(transaction=True)


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_open_sockets_are_counted_by_kind_until_they_close(served_chat):
    ana, chat = served_chat
    visitors, agents = value("relevo_open_sockets", kind="visitor"), value("relevo_open_sockets", kind="agent")
    visitor = await open_visitor(chat)
    agent = await open_agent(ana)
    assert value("relevo_open_sockets", kind="visitor") == visitors + 1
    assert value("relevo_open_sockets", kind="agent") == agents + 1
    await visitor.disconnect()
    await agent.disconnect()
    assert value("relevo_open_sockets", kind="visitor") == visitors
    assert value("relevo_open_sockets", kind="agent") == agents


REFUSALS = [("visitor", "auth"), ("visitor", "origin"), ("visitor", "not_found"), ("agent", "origin")]


async def test_refused_handshakes_are_counted_by_reason(served_chat):
    ana, chat = served_chat
    shop_only = await database_sync_to_async(
        lambda: start_chat(make_client("Strict shop", allowed_origins="https://shop.example"))
    )()
    before = {
        (kind, reason): value("relevo_socket_refusals_total", kind=kind, reason=reason) for kind, reason in REFUSALS
    }
    for communicator in (
        visitor_communicator(chat.conversation.pk, "not-the-token"),
        visitor_communicator(shop_only.conversation.pk, shop_only.token, origin=b"https://evil.example"),
        visitor_communicator(999_999, "whatever"),
        await agent_communicator(ana, origin=b"https://evil.example"),
    ):
        connected, _ = await communicator.connect(timeout=5)
        assert not connected, communicator.scope["path"]
    for kind, reason in REFUSALS:
        assert value("relevo_socket_refusals_total", kind=kind, reason=reason) == before[kind, reason] + 1, reason


async def test_a_message_is_counted_stored_once_and_relayed_to_each_socket(served_chat):
    ana, chat = served_chat
    agent = await open_agent(ana)
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "Hello?"})
    await receive_until(visitor, lambda f: f["type"] == "ack")
    await receive_until(agent, lambda f: f["type"] == "message" and f["body"] == "Hello?")
    # Then one more, once the agent's history is behind it.
    stored = value("relevo_messages_stored_total", sender="visitor")
    relayed = value("relevo_messages_relayed_total", kind="agent")
    batches = value("relevo_group_commit_batch_size_count")
    latencies = value("relevo_message_store_seconds_count")
    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "Anyone?"})
    await receive_until(visitor, lambda f: f["type"] == "ack")
    await receive_until(agent, lambda f: f["type"] == "message" and f["body"] == "Anyone?")
    assert value("relevo_messages_stored_total", sender="visitor") == stored + 1
    assert value("relevo_messages_relayed_total", kind="agent") == relayed + 1
    assert value("relevo_group_commit_batch_size_count") == batches + 1
    assert value("relevo_message_store_seconds_count") == latencies + 1
    await visitor.disconnect()
    await agent.disconnect()


async def test_the_first_response_is_timed_once_per_chat(served_chat):
    ana, chat = served_chat
    timed = value("relevo_first_response_seconds_count")
    agent = await open_agent(ana)
    await receive_until(agent, lambda f: f["type"] == "assigned")
    for body in ("Hi, I am Ana.", "How can I help?"):
        message = {"type": "message", "conversation": chat.conversation.pk, "client_id": new_client_id(), "body": body}
        await agent.send_json_to(message)
        await receive_until(agent, lambda f: f["type"] == "ack")
    assert value("relevo_first_response_seconds_count") == timed + 1
    first_response_at = await database_sync_to_async(
        lambda: Conversation.objects.values_list("first_response_at", flat=True).get(pk=chat.conversation.pk)
    )()
    assert first_response_at is not None
    await agent.disconnect()


async def test_frames_refused_by_the_rate_limit_are_counted(served_chat, settings):
    _, chat = served_chat
    settings.CHAT_VISITOR_FRAME_BURST = 2
    settings.CHAT_VISITOR_FRAMES_PER_MINUTE = 1
    refused = value("relevo_socket_frames_refused_total", kind="visitor", code="rate_limited")
    visitor = await open_visitor(chat)
    for _ in range(3):
        await visitor.send_json_to({"type": "typing"})
    await receive_until(visitor, lambda f: f["type"] == "error" and f["code"] == "rate_limited")
    assert value("relevo_socket_frames_refused_total", kind="visitor", code="rate_limited") == refused + 1
    await visitor.disconnect()


async def test_visit_sockets_refused_for_their_budget_are_counted(db, settings):
    settings.VISIT_MAX_SOCKETS_PER_IP = 0
    shop = await database_sync_to_async(lambda: make_agent("ana", make_client("Visits shop")).clients.get())()
    refused = value("relevo_socket_refusals_total", kind="visit", reason="budget")
    communicator = WebsocketCommunicator(application, f"/ws/visit/{shop.widget_key}/")
    connected, _ = await communicator.connect(timeout=5)
    assert not connected
    assert value("relevo_socket_refusals_total", kind="visit", reason="budget") == refused + 1
