"""uvicorn's HTTP protocol with a bound on the request head: `--http agency.http_protocol:HeadTimeoutHttpProtocol`.

uvicorn (0.54) arms no timer until a response is sent (`--timeout-keep-alive` starts
after one), so a client that sends its request line and headers a byte at a time
holds a connection for ever (slowloris), and the app never sees it to refuse it.
This protocol closes a connection whose request head is not complete within
HTTP_HEADER_TIMEOUT_SECONDS of its first byte (or of the connection), answering
408 when no response is under way. A websocket handshake is a request head too;
once upgraded the socket is the websocket protocol's and no longer timed here.
Proxies bound the head as well (docs/operations.md, "Slow clients"); this is the
server's own bound for whatever reaches it directly.
"""

from __future__ import annotations

import asyncio
import logging

from django.conf import settings
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

logger = logging.getLogger(__name__)
REQUEST_TIMEOUT = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"


class HeadTimeoutHttpProtocol(HttpToolsProtocol):
    """HttpToolsProtocol, but a request head must arrive within HTTP_HEADER_TIMEOUT_SECONDS."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.head_timeout: float = settings.HTTP_HEADER_TIMEOUT_SECONDS
        self.head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm_head_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.arm_head_timer()  # the next request of a kept-alive connection: its own bound

    def on_headers_complete(self) -> None:
        self.cancel_head_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self.cancel_head_timer()
        super().connection_lost(exc)

    def arm_head_timer(self) -> None:
        if self.head_timer is None:
            self.head_timer = self.loop.call_later(self.head_timeout, self.head_timed_out)

    def cancel_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def head_timed_out(self) -> None:
        self.head_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:  # never in the middle of another response
            self.transport.write(REQUEST_TIMEOUT)
        logger.debug("closed %s: no complete request head within %s s", self.client, self.head_timeout)
        self.transport.close()
