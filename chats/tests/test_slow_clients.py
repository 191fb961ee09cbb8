"""Slow clients (slowloris): connections that send their request head a byte at a time are
closed by the server within HTTP_HEADER_TIMEOUT_SECONDS, while honest requests and open
websockets go on (a real uvicorn process started as ./run and README start it)."""

import asyncio
import json
import re
import time

import pytest
import websockets
from channels.db import database_sync_to_async

from chats.tests.server_probes import http_status
from conftest import HTTP_PROTOCOL_OPTION, ROOT, make_agent, make_client, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

HEAD_TIMEOUT = 2.0
SLACK = 3.0  # a loaded machine (2 cores, other suites) may answer late; never "for ever"
SLOW_CLIENTS = 100


async def trickle(port: int, first: bytes, *, connection=None, byte_every: float = 0.5) -> tuple[float, bytes]:
    """Send `first`, then one more header byte every `byte_every` s, never finishing the head.
    Returns how long the server kept the connection and what it answered before closing it."""
    started = time.monotonic()
    reader, writer = connection or await asyncio.open_connection("127.0.0.1", port)

    async def drip() -> None:
        writer.write(first)
        while not writer.is_closing():
            await asyncio.sleep(byte_every)
            writer.write(b"a")

    dripping = asyncio.create_task(drip())
    answer = b""
    try:
        async with asyncio.timeout(HEAD_TIMEOUT + SLACK + 5):
            while chunk := await reader.read(65536):  # the 408, then EOF: the server closed it
                answer += chunk
    except ConnectionError:  # a byte dripped after the close: the peer reset, closed all the same
        pass
    finally:
        dripping.cancel()
        writer.close()
    return time.monotonic() - started, answer


@pytest.fixture
def server(asgi_servers):
    return asgi_servers(env={"HTTP_HEADER_TIMEOUT_SECONDS": str(HEAD_TIMEOUT)})


async def test_connections_that_never_finish_their_request_head_are_closed_within_the_bound(server):
    heads = [
        b"GET /demo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
        b"GET /demo",  # a header, the path
        b"GET /ws/chat/1/ HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Slow: ",
    ]  # a handshake
    results = await asyncio.gather(*(trickle(server.port, heads[n % len(heads)]) for n in range(SLOW_CLIENTS)))
    held = sorted(seconds for seconds, _ in results)
    print(f"\n{SLOW_CLIENTS} slow clients held {held[0]:.1f}-{held[-1]:.1f} s (bound {HEAD_TIMEOUT} s)")  # noqa: T201
    assert held[0] >= HEAD_TIMEOUT - 0.5  # not cut before the bound…
    assert held[-1] <= HEAD_TIMEOUT + SLACK  # …and every one closed by the server soon after it
    assert all(answer.startswith(b"HTTP/1.1 408 ") for _, answer in results)
    assert await http_status(server.port, "GET", "/demo/") == 200  # the server still serves


async def test_a_kept_alive_connection_gets_the_same_bound_for_its_next_request(server):
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    status = await reader.readline()
    assert b" 200 " in status
    length = 0
    while (line := await reader.readline()) != b"\r\n":
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    held, answer = await trickle(server.port, b"GET /demo/ HTTP/1.1\r\nX-Slow: ", connection=(reader, writer))
    assert answer.startswith(b"HTTP/1.1 408 ")  # the second request stalled in its head
    assert held <= HEAD_TIMEOUT + SLACK


async def test_an_open_websocket_outlives_the_head_bound(server):
    shop = await database_sync_to_async(make_client)("Slow shop")
    await database_sync_to_async(make_agent)("ana", shop)
    chat = await database_sync_to_async(start_chat)(shop)
    url = f"ws://127.0.0.1:{server.port}/ws/chat/{chat.conversation.pk}/"
    async with websockets.connect(
        url, subprotocols=["relevo.v1", f"relevo-token.{chat.token}"], open_timeout=5
    ) as socket:
        await asyncio.sleep(HEAD_TIMEOUT + 1)
        await socket.send(json.dumps({"type": "ping"}))
        async with asyncio.timeout(5):
            while json.loads(await socket.recv())["type"] != "pong":
                pass


def test_run_readme_operations_and_the_test_servers_start_uvicorn_with_the_bound():
    option = " ".join(HTTP_PROTOCOL_OPTION)
    for path in ("run", "README.md", "docs/operations.md"):
        text = (ROOT / path).read_text().replace("\\\n", " ")  # continued shell lines joined
        commands = re.findall(r"uvicorn agency\.asgi:application[^\n`]*", text)
        assert commands, path
        assert all(option in command for command in commands), (path, commands)
