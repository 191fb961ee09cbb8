"""A visitor who closes the page while its heartbeat is answered is a normal goodbye:
the server logs no traceback (a real uvicorn process, its output captured)."""

import asyncio
import json

import pytest
import websockets
from channels.db import database_sync_to_async

from conftest import make_agent, make_client, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

DISCONNECTS = 20


def served_chats(count: int) -> list:
    shop = make_client("Heartbeat shop")
    make_agent("ana", shop, max_chats=count)
    return [start_chat(shop, name=f"Visitor {n}") for n in range(count)]


async def ping_and_vanish(port: int, chat, *, abort: bool) -> None:
    """Open the widget's socket, send a heartbeat and leave at once: politely, or by cutting the TCP connection."""
    url = f"ws://127.0.0.1:{port}/ws/chat/{chat.conversation.pk}/"
    socket = await websockets.connect(url, subprotocols=["relevo.v1", f"relevo-token.{chat.token}"], open_timeout=5)
    await socket.recv()  # the first status: the consumer is connected
    await socket.send(json.dumps({"type": "ping"}))
    await socket.send(json.dumps({"type": "resume", "after": 0}))
    if abort:
        socket.transport.abort()
    else:
        await socket.close()


async def test_visitors_leaving_during_a_heartbeat_print_no_traceback(asgi_servers, tmp_path):
    chats = await database_sync_to_async(served_chats)(DISCONNECTS)
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = asgi_servers(args=("--log-level", "info"), output=output)
        await asyncio.gather(*(ping_and_vanish(server.port, chat, abort=n % 2 == 0) for n, chat in enumerate(chats)))
        # The server answers what it can after the sockets are gone; then it is asked to stop.
        async with websockets.connect(
            f"ws://127.0.0.1:{server.port}/ws/chat/{chats[0].conversation.pk}/",
            subprotocols=["relevo.v1", f"relevo-token.{chats[0].token}"],
            open_timeout=5,
        ) as socket:
            await socket.recv()
            await socket.send(json.dumps({"type": "ping"}))
            while json.loads(await socket.recv())["type"] != "pong":
                pass
        await asyncio.sleep(1)
        server.stop()
    written = log.read_text()
    assert "Traceback" not in written, written
    assert "ERROR" not in written, written
