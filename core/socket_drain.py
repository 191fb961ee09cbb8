"""Graceful drain of a server process on SIGTERM (a deploy, a rolling restart).

1. The process says it is draining (`core.draining`: `/readyz` answers 503) and stops taking new
   connections: the server's listening sockets close, so the balancer sends new ones elsewhere
   (HAProxy retries a refused connection on another process).
2. Every open socket finishes the frame it is handling (a message waiting for its group commit
   is stored and acknowledged), takes no further frame (unacknowledged ones are re-sent by the
   client after it reconnects, with the same client_id), and is closed with CLOSE_RECONNECT:
   the widget and the console reconnect at once, through the balancer, and resume.
3. Then the server's own shutdown runs (uvicorn's: what is left is closed with 1012). The
   process is gone at the latest SERVER_DRAIN_SECONDS after the signal, plus a few seconds for
   the server's own shutdown (SERVER_SHUTDOWN_SECONDS); after that it exits whatever is left.

Installed per event loop by agency/asgi.py, only when the loop runs under uvicorn (the signal
handler it replaces is uvicorn's, which it calls once the sockets are closed).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import weakref
from collections.abc import Callable
from typing import Any

from django.conf import settings

from core.draining import is_draining, start_draining

logger = logging.getLogger(__name__)

# docs/protocol.md: "this server is restarting: reconnect now, you will reach another one".
CLOSE_RECONNECT = 4012


class DrainableSocket:
    """A websocket consumer the drain can close once it is between frames."""

    drain_requested = False

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        self.idle = asyncio.Event()
        self.idle.set()
        open_sockets.add(self)
        await super().websocket_connect(message)  # type: ignore[misc]

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        """A frame that comes once the drain began is not handled: not acked, the client sends it again."""
        if self.drain_requested:
            return
        self.idle.clear()
        try:
            await super().websocket_receive(message)  # type: ignore[misc]
        finally:
            self.idle.set()

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        open_sockets.discard(self)
        await super().websocket_disconnect(message)  # type: ignore[misc]

    async def drain(self) -> None:
        self.drain_requested = True
        await self.idle.wait()
        await self.close(code=CLOSE_RECONNECT)  # type: ignore[attr-defined]


open_sockets: weakref.WeakSet[DrainableSocket] = weakref.WeakSet()
installed_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def install_drain_on_sigterm(loop: asyncio.AbstractEventLoop) -> None:
    """Drain on SIGTERM before uvicorn's own shutdown (not under any other server, nor in tests)."""
    if loop in installed_loops or threading.current_thread() is not threading.main_thread():
        return
    installed_loops.add(loop)
    server_handler = signal.getsignal(signal.SIGTERM)
    server = getattr(server_handler, "__self__", None)
    if not callable(server_handler) or not type(server).__module__.startswith("uvicorn"):
        return
    loop.add_signal_handler(signal.SIGTERM, begin_drain, loop, server_handler, server)


def begin_drain(loop: asyncio.AbstractEventLoop, server_handler: Callable[..., Any], server: Any) -> None:
    if is_draining():  # a second SIGTERM: no more waiting
        server_handler(signal.SIGTERM, None)
        return
    start_draining()
    for listener in getattr(server, "servers", ()):
        listener.close()  # no new connections: the balancer sends them to another process
    hard_stop = threading.Timer(settings.SERVER_DRAIN_SECONDS + settings.SERVER_SHUTDOWN_SECONDS, os._exit, (0,))
    hard_stop.daemon = True
    hard_stop.start()
    loop.create_task(drain_then_shut_down(server_handler))


async def drain_then_shut_down(server_handler: Callable[..., Any]) -> None:
    sockets = list(open_sockets)
    logger.warning("Draining: closing %d sockets with %d (reconnect)", len(sockets), CLOSE_RECONNECT)
    try:
        async with asyncio.timeout(settings.SERVER_DRAIN_SECONDS):
            await asyncio.gather(*(socket.drain() for socket in sockets), return_exceptions=True)
    except TimeoutError:
        logger.warning("Drain timed out after %s s: the server closes what is left", settings.SERVER_DRAIN_SECONDS)
    server_handler(signal.SIGTERM, None)
