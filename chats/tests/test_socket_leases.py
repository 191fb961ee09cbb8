"""Open sockets count across processes as per-process leases: when a server process is
killed (kill -9, no disconnect runs), its sockets stop counting within the lease time."""

import asyncio
import json

import pytest
import websockets
from asgiref.sync import sync_to_async

from chats.tests.test_faults import redis_server  # noqa: F401  (fixture)
from conftest import make_client, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

LEASE_SECONDS = 3


async def visitor_socket(server, chat):
    url = f"ws://127.0.0.1:{server.port}/ws/chat/{chat.conversation.pk}/?token={chat.token}"
    socket = await websockets.connect(url, origin="https://shop.example")
    while json.loads(await socket.recv())["type"] != "status":
        pass
    return socket


async def is_refused(server, chat) -> bool:
    try:
        socket = await visitor_socket(server, chat)
    except websockets.InvalidStatus as refusal:
        assert refusal.response.status_code == 403
        return True
    await socket.close()
    return False


async def test_the_sockets_of_a_killed_server_stop_counting_within_the_lease(asgi_servers, redis_server):  # noqa: F811
    env = {
        "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/0",
        "CHANNEL_LAYER_PREFIX": f"lease{redis_server.port}",
        "CHAT_MAX_SOCKETS_PER_CONVERSATION": "2",
        "CHAT_SOCKET_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    doomed, survivor = asgi_servers(env=env), asgi_servers(env=env)
    chat = await sync_to_async(start_chat)(await sync_to_async(make_client)("Lease shop"))
    held = [await visitor_socket(doomed, chat), await visitor_socket(doomed, chat)]
    assert await is_refused(survivor, chat)  # the limit holds across processes

    doomed.stop(kill=True)
    async with asyncio.timeout(LEASE_SECONDS * 4):
        while await is_refused(survivor, chat):
            await asyncio.sleep(0.2)
    for socket in held:
        socket.transport.abort()
