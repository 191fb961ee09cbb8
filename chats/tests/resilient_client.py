"""A test client that behaves like the widget and console: it keeps unacked
messages and re-sends them with the same client_id after reconnecting, resumes
from the last seq it saw, and counts what it received."""

from __future__ import annotations

import asyncio
import json
import uuid

import websockets


class ResilientChatClient:
    def __init__(self, url: str, *, origin: str, headers: dict | None = None, conversation: int | None = None):
        self.url, self.origin, self.headers = url, origin, headers or {}
        self.conversation = conversation  # set for agents, whose frames name it
        self.pending: dict[str, str] = {}
        self.acked: dict[str, int] = {}
        self.received: list[dict] = []  # message frames, each seq once (clients dedupe by seq)
        self.seen_seqs: set[int] = set()
        self.redelivered = 0  # frames for a seq already seen: harmless, dropped like the widget does
        self.last_seq = 0
        self.socket = None
        self.reconnects = 0
        self.errors: list[dict] = []  # error frames, for a spec that fails to say why
        self._reader: asyncio.Task | None = None

    async def connect(self) -> None:
        while True:
            try:
                self.socket = await websockets.connect(
                    self.url, origin=self.origin, additional_headers=self.headers, open_timeout=3
                )
                break
            except (OSError, websockets.InvalidStatus, websockets.InvalidHandshake, TimeoutError):
                await asyncio.sleep(0.2)
        self._reader = asyncio.create_task(self._read())
        resume = {"type": "resume", "after": self.last_seq}
        if self.conversation:
            resume["conversation"] = self.conversation
        await self._send(resume)
        for client_id, body in list(self.pending.items()):
            await self._send_message(client_id, body)

    async def _read(self) -> None:
        try:
            async for raw in self.socket:
                frame = json.loads(raw)
                if frame["type"] == "error":
                    self.errors.append(frame)
                if frame["type"] == "ack":
                    self.pending.pop(frame["client_id"], None)
                    self.acked[frame["client_id"]] = frame["seq"]
                elif frame["type"] == "message" and (
                    self.conversation is None or frame["conversation"] == self.conversation
                ):
                    if frame["seq"] in self.seen_seqs:
                        self.redelivered += 1
                        continue
                    self.seen_seqs.add(frame["seq"])
                    self.received.append(frame)
                    self.last_seq = max(self.last_seq, frame["seq"])
        except websockets.ConnectionClosed:
            pass

    async def _send(self, frame: dict) -> bool:
        try:
            await self.socket.send(json.dumps(frame))
            return True
        except (websockets.ConnectionClosed, AttributeError):
            return False

    async def _send_message(self, client_id: str, body: str) -> None:
        frame = {"type": "message", "client_id": client_id, "body": body}
        if self.conversation:
            frame["conversation"] = self.conversation
        await self._send(frame)

    async def send(self, body: str) -> None:
        client_id = str(uuid.uuid4())
        self.pending[client_id] = body
        await self._send_message(client_id, body)

    async def ensure_connected(self) -> None:
        """Reconnect (and resume, and re-send) if the socket died."""
        if self.socket is None or self._reader is None or self._reader.done():
            self.reconnects += 1
            await self.connect()

    async def resend_pending(self) -> None:
        """Unacked messages go again with their client_id (as after a rate_limited error)."""
        for client_id, body in list(self.pending.items()):
            await self._send_message(client_id, body)

    async def ping(self) -> None:
        await self._send({"type": "ping"})

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    def bodies_from(self, sender: str) -> list[str]:
        return [frame["body"] for frame in self.received if frame["sender"] == sender]


async def settle(clients, done, timeout: float = 30) -> None:
    """Keep clients connected and pinging until `done()` or the timeout."""
    try:
        async with asyncio.timeout(timeout):
            while not done():
                for client in clients:
                    await client.ensure_connected()
                    await client.resend_pending()
                    await client.ping()
                await asyncio.sleep(0.3)
    except TimeoutError:
        state = [(c.url, len(c.pending), len(c.received), c.last_seq, c.reconnects) for c in clients]
        raise AssertionError(f"clients did not settle: {state}") from None
