"""While Redis is down new chats still start (limits count per process), and a doorbell
that could not be rung arrives within moments of Redis coming back, not at the next
heartbeat. Each test runs its own redis-server (chats/tests/test_faults.py)."""

import json
import uuid

import pytest
import websockets
from asgiref.sync import sync_to_async

from chats.models import Conversation
from chats.tests.server_probes import http_status, next_frame
from chats.tests.test_faults import redis_server  # noqa: F401  (fixture)
from conftest import make_agent, make_client, session_cookie, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server(asgi_servers, redis_server):  # noqa: F811
    return asgi_servers(
        env={
            "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/0",
            "CHANNEL_LAYER_PREFIX": f"outage{redis_server.port}",
        }
    )


async def test_a_new_chat_starts_and_its_socket_opens_while_redis_is_down(server, redis_server):  # noqa: F811
    shop = await sync_to_async(make_client)("Outage shop")
    redis_server.stop()
    path = f"/api/widget/{shop.widget_key}/conversations/"
    status = await http_status(
        server.port, "POST", path, b"{}", {"Content-Type": "application/json", "Origin": "https://shop.example"}
    )
    assert status == 201
    conversation = await sync_to_async(Conversation.objects.get)(client=shop)
    chat = await sync_to_async(start_chat)(shop)
    url = f"ws://127.0.0.1:{server.port}/ws/chat/{chat.conversation.pk}/?token={chat.token}"
    async with websockets.connect(url, origin="https://shop.example") as visitor:
        status_frame = await next_frame(visitor, lambda f: f["type"] == "status")
        assert status_frame["conversation"] == chat.conversation.pk
    assert conversation.pk != chat.conversation.pk


async def test_a_message_sent_during_the_outage_reaches_the_other_side_soon_after_redis_returns(server, redis_server):  # noqa: F811
    def world():
        shop = make_client("Outage shop")
        ana = make_agent("ana", shop)
        return start_chat(shop), session_cookie(ana.user).decode()

    chat, cookie = await sync_to_async(world)()
    visitor_url = f"ws://127.0.0.1:{server.port}/ws/chat/{chat.conversation.pk}/?token={chat.token}"
    agent_url = f"ws://127.0.0.1:{server.port}/ws/agent/"
    async with (
        websockets.connect(agent_url, origin=server.url, additional_headers={"Cookie": cookie}) as agent,
        websockets.connect(visitor_url, origin="https://shop.example") as visitor,
    ):
        await next_frame(agent, lambda f: f["type"] == "assigned")
        await next_frame(visitor, lambda f: f["type"] == "status")
        redis_server.stop()
        client_id = str(uuid.uuid4())
        await visitor.send(json.dumps({"type": "message", "client_id": client_id, "body": "anyone there?"}))
        await next_frame(visitor, lambda f: f["type"] == "ack" and f["client_id"] == client_id)
        redis_server.start()
        # Neither socket pings: only the doorbell rung again can bring the message.
        message = await next_frame(agent, lambda f: f["type"] == "message" and f["sender"] == "visitor", timeout=4)
        assert message["body"] == "anyone there?"
