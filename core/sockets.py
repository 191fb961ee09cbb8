"""What every websocket of Relevo shares, whatever its consumer: sending a frame."""
from __future__ import annotations

import logging
from typing import Protocol

logger = logging.getLogger(__name__)


class Sender(Protocol):
    async def send(self, text_data: str) -> None: ...


async def send_text(consumer: Sender, text: str) -> bool:
    """Send one text frame; False if the client had already gone.

    A visitor closing the page while their heartbeat is answered is a normal goodbye,
    not a failure: ASGI servers raise an OSError subclass for a send on a closed socket
    (uvicorn's ClientDisconnected), and the consumer's disconnect follows."""
    try:
        await consumer.send(text_data=text)
    except OSError:
        logger.debug("%s: the client closed the socket before a frame could be sent", type(consumer).__name__)
        return False
    return True
