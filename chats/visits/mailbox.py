"""One channel-layer channel per process for all its visit sockets (not one per socket).

A visit socket has no channel of its own: with 10,000 of them that would be 10,000
subscriptions, queues and reader tasks. Its address is `<process channel>#<socket id>`
(stored on the visit by the next batch); the process's one reader hands each event to
the socket named after the `#`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)
SEPARATOR = "#"


class Mailbox:
    def __init__(self):
        self.sockets: dict[str, object] = {}
        self.ids = itertools.count(1)
        self.channel: str | None = None
        self.reader: asyncio.Task | None = None

    async def address_of(self, consumer) -> str:
        """Register a socket; its address for `split_address` senders."""
        await self.start()
        socket_id = str(next(self.ids))
        self.sockets[socket_id] = consumer
        return f"{self.channel}{SEPARATOR}{socket_id}" if self.channel else ""

    def forget(self, address: str) -> None:
        self.sockets.pop(address.rpartition(SEPARATOR)[2], None)

    async def start(self) -> None:
        layer = get_channel_layer()
        loop = asyncio.get_running_loop()
        if layer is None or (self.reader is not None and not self.reader.done() and self.reader.get_loop() is loop):
            return
        self.channel = await layer.new_channel("visits.")
        self.reader = loop.create_task(self.read(layer, self.channel))

    async def read(self, layer, channel: str) -> None:
        while True:
            try:
                event = await layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the layer's errors vary with its backend; it reconnects itself
                logger.warning("visit mailbox: %r", error)
                await asyncio.sleep(1)
                continue
            consumer = self.sockets.get(event.get("socket", ""))
            if consumer is not None:
                try:
                    await consumer.visit_invitation(event)
                except Exception:
                    logger.exception("visit event not delivered")


def split_address(address: str) -> tuple[str, str]:
    """(the process channel, the socket id) of a visit socket's address."""
    channel, _sep, socket_id = address.rpartition(SEPARATOR)
    return channel, socket_id


mailbox = Mailbox()
