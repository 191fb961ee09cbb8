"""Hundreds of idle visitor sockets on one real server hold a few Redis connections,
whatever their number, counted by Redis itself (CLIENT LIST), and no more once they
close (docs/operations.md, "Connection budgets")."""

import asyncio
import json

import pytest
import websockets
from asgiref.sync import sync_to_async

from chats.tests.server_probes import redis_clients
from chats.tests.test_faults import redis_server  # noqa: F401  (fixture)
from conftest import make_client, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

SOCKETS, CONVERSATIONS = 300, 10
LIMITS_POOL = 3
# The limits' pool, and the pub/sub layer's connections (one subscribing, one publishing).
BUDGET = LIMITS_POOL + 2


def clients_by_name(port: int) -> dict[str, int]:
    names: dict[str, int] = {}
    for client in redis_clients(port):
        names[client["name"]] = names.get(client["name"], 0) + 1
    return names


async def open_visitor(url: str):
    socket = await websockets.connect(url, origin="https://shop.example", open_timeout=60)
    while json.loads(await socket.recv())["type"] != "status":
        pass
    return socket


async def test_hundreds_of_idle_visitor_sockets_hold_a_few_redis_connections(asgi_servers, redis_server):  # noqa: F811
    server = asgi_servers(
        env={
            "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/0",
            "CHANNEL_LAYER_PREFIX": f"budget{redis_server.port}",
            "REDIS_LIMITS_CONNECTIONS": str(LIMITS_POOL),
            "CHAT_MAX_SOCKETS_PER_CONVERSATION": str(SOCKETS),
        }
    )
    shop = await sync_to_async(make_client)("Budget shop")
    chats = [await sync_to_async(start_chat)(shop) for _ in range(CONVERSATIONS)]
    urls = [f"ws://127.0.0.1:{server.port}/ws/chat/{chat.conversation.pk}/?token={chat.token}" for chat in chats]
    sockets = await asyncio.gather(*(open_visitor(urls[n % CONVERSATIONS]) for n in range(SOCKETS)))
    while_open = await sync_to_async(clients_by_name)(redis_server.port)
    for socket in sockets:
        await socket.close()
    after_close = await sync_to_async(clients_by_name)(redis_server.port)
    print(f"\n{SOCKETS} sockets open: {while_open}; all closed: {after_close}")  # noqa: T201
    pid = server.process.pid
    assert sum(while_open.values()) <= BUDGET
    assert while_open.get(f"relevo-limits:{pid}", 0) <= LIMITS_POOL
    assert sum(after_close.values()) <= BUDGET
