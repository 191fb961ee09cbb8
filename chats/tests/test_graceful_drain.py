"""SIGTERM to a server process mid-chat: it stops taking connections, finishes the message it is
storing, closes its sockets with 4012 (reconnect) and exits in bounded time; the visitor
reconnects to another process and re-sends what was not acknowledged: 0 lost, 0 duplicated."""

import asyncio
import json
import signal
import time
import uuid

import pytest
import websockets
from asgiref.sync import sync_to_async

from chats.models import Message
from conftest import make_client, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]
DRAIN_SECONDS, SHUTDOWN_SECONDS = 5, 3
CLOSE_RECONNECT = 4012  # docs/protocol.md: the server is restarting, reconnect now


class Visitor:
    """A raw widget-like socket: sends messages, keeps the unacknowledged ones."""

    def __init__(self):
        self.sent: dict[str, str] = {}  # client_id → body, in the order sent
        self.acked: dict[str, int] = {}
        self.close_code: int | None = None

    async def open(self, port: int, chat) -> websockets.ClientConnection:
        url = f"ws://127.0.0.1:{port}/ws/chat/{chat.conversation.pk}/?token={chat.token}"
        socket = await websockets.connect(url, origin="https://shop.example")
        await socket.send(json.dumps({"type": "resume", "after": 0}))
        return socket

    async def read(self, socket) -> None:
        try:
            async for raw in socket:
                frame = json.loads(raw)
                if frame["type"] == "ack":
                    self.acked[frame["client_id"]] = frame["seq"]
        except websockets.ConnectionClosed:
            pass
        self.close_code = socket.close_code

    async def send(self, socket, body: str) -> None:
        client_id = str(uuid.uuid4())
        self.sent[client_id] = body
        await socket.send(json.dumps({"type": "message", "client_id": client_id, "body": body}))

    def unacked(self) -> list[tuple[str, str]]:
        return [(client_id, body) for client_id, body in self.sent.items() if client_id not in self.acked]


async def talk_until_closed(visitor: Visitor, socket, reader: asyncio.Task) -> None:
    n = 0
    while not reader.done():
        try:
            await visitor.send(socket, f"message {n}")
        except websockets.ConnectionClosed:
            visitor.sent.popitem()  # never left: the client knows it was not sent
            break
        n += 1
        await asyncio.sleep(0.01)


async def resend_unacked(visitor: Visitor, port: int, chat) -> None:
    socket = await visitor.open(port, chat)
    reader = asyncio.create_task(visitor.read(socket))
    for client_id, body in visitor.unacked():
        await socket.send(json.dumps({"type": "message", "client_id": client_id, "body": body}))
    async with asyncio.timeout(10):
        while visitor.unacked():
            await asyncio.sleep(0.05)
    await socket.close()
    await reader


async def is_refused(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return True
    writer.close()
    return False


async def test_sigterm_drains_the_sockets_with_reconnect_and_nothing_is_lost(asgi_servers):
    env = {
        "SERVER_DRAIN_SECONDS": str(DRAIN_SECONDS),
        "SERVER_SHUTDOWN_SECONDS": str(SHUTDOWN_SECONDS),
        "CHAT_VISITOR_FRAME_BURST": "1000",
    }
    leaving, staying = asgi_servers(env=env), asgi_servers(env=env)
    chat = await sync_to_async(start_chat)(await sync_to_async(make_client)("Drain shop"))
    visitor = Visitor()
    socket = await visitor.open(leaving.port, chat)
    reader = asyncio.create_task(visitor.read(socket))
    talking = asyncio.create_task(talk_until_closed(visitor, socket, reader))
    await asyncio.sleep(0.5)

    leaving.process.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    await reader
    closed_after = time.monotonic() - signalled
    await talking
    close_code = visitor.close_code
    assert close_code == CLOSE_RECONNECT
    assert await is_refused(leaving.port)  # no new connections while (and after) it drains
    await asyncio.to_thread(leaving.process.wait, DRAIN_SECONDS + SHUTDOWN_SECONDS + 2)
    exited_after = time.monotonic() - signalled

    stored = await sync_to_async(dict)(
        Message.objects.filter(conversation=chat.conversation, client_id__isnull=False).values_list("client_id", "seq")
    )
    assert {str(client_id) for client_id in stored} <= set(visitor.acked)  # every commit finished was acknowledged
    unacked = len(visitor.unacked())
    await resend_unacked(visitor, staying.port, chat)
    stored = await sync_to_async(list)(
        Message.objects.filter(conversation=chat.conversation, client_id__isnull=False).values_list("client_id", "body")
    )
    print(  # noqa: T201
        f"\ndrain: closed with {close_code} after {closed_after:.2f} s, exited after {exited_after:.2f} s; "
        f"{len(visitor.sent)} messages, {unacked} re-sent to the other process"
    )
    assert sorted(str(client_id) for client_id, _ in stored) == sorted(visitor.sent)  # each once, none lost
