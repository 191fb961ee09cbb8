"""What every websocket of Relevo shares, whatever its consumer: the frame envelope, the
receive template (`FrameSocket`) and sending a frame.

Every frame a client sends goes through the same steps, in this order:
1. parse: size (CHAT_MAX_FRAME_BYTES), JSON, an object, a `type` the socket takes
   (`decode_frame`), then the socket's own fields;
2. rate limit: one token of the socket's bucket (`bucket_for` the parsed frame);
3. handle: `frame_<type>` (dots as underscores), or whatever `handler_for` names.
A `RelevoError` at any step is answered with its error frame (naming the frame's
`client_id` when known); anything else with an `internal` error frame, logged with its
traceback. Input never closes the socket.

The template also keeps the sockets' metrics (core.metrics: open sockets by kind, refused
handshakes by reason, refused frames by code, message frames relayed) and gives each
connection its own request id for its log lines (core.log_context).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import orjson
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext as _

from core import log_context, metrics
from core.errors import BadFrame, BadJson, InternalError, RateLimited, RelevoError, TooLong, error_body
from core.limits import TokenBucket
from core.socket_drain import DrainableSocket

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


def dumps(frame: dict[str, Any]) -> str:
    return orjson.dumps(frame).decode()


def error_frame(error: RelevoError, *, client_id: uuid.UUID | None = None) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "error", **error_body(error)}
    if client_id:
        frame["client_id"] = str(client_id)
    return frame


def decode_frame(raw: str | bytes | None, *, allowed: set[str] | frozenset[str]) -> dict[str, Any]:
    """The JSON object of one incoming frame whose `type` is one of `allowed` (every socket's
    envelope: size, JSON, type); raise a RelevoError whose code the client can act on."""
    if raw is None:
        raise BadJson()
    if len(raw) > settings.CHAT_MAX_FRAME_BYTES:
        raise TooLong(
            _("The frame is larger than %(limit)s bytes.") % {"limit": settings.CHAT_MAX_FRAME_BYTES},
            client_id=client_id_of_oversized(raw),
        )
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BadJson() from None
    if not isinstance(data, dict):
        raise BadJson()
    frame_type = data.get("type")
    if not isinstance(frame_type, str) or frame_type not in allowed:  # a list or object is not hashable
        raise BadFrame(_("Unknown frame type."))
    return data


CLIENT_ID_NEAR_START = re.compile(r'"client_id"\s*:\s*"([0-9a-fA-F-]{32,36})"')


def client_id_of_oversized(raw: str | bytes) -> uuid.UUID | None:
    """Name the refused message of a frame too large to parse, if its client_id is near the start."""
    head = raw[:1024].decode(errors="replace") if isinstance(raw, bytes) else raw[:1024]
    match = CLIENT_ID_NEAR_START.search(head)
    try:
        return uuid.UUID(match.group(1)) if match else None
    except ValueError:
        return None


Handler = Callable[[Any], Awaitable[None]]

# A refused handshake's error code → the reason counted (relevo_socket_refusals_total).
REFUSAL_REASONS = {
    "origin_not_allowed": "origin",
    "forbidden": "auth",
    "not_authenticated": "auth",
    "not_found": "not_found",
    "rate_limited": "rate_limit",
}


def refusal_reason(error: RelevoError) -> str:
    return REFUSAL_REASONS.get(error.code, "other")


def handshake_request_id(scope: dict[str, Any]) -> str:
    """The socket's request id: its handshake's X-Request-ID if sane, else a new one."""
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            return log_context.request_id_from(value.decode("latin-1"))
    return log_context.request_id_from(None)


class FrameSocket(DrainableSocket, AsyncWebsocketConsumer):  # type: ignore[misc]  # channels has no type hints
    """The receive template of every socket that takes frames (chat, visit, floor).

    On SIGTERM it is closed between two frames with 4012, reconnect (core.socket_drain).
    A subclass names the types it takes (`frame_types`), sets `self.bucket` in `connect`,
    and handles each type in `frame_<type>`. Override `parse` for the socket's own fields
    (it must still call `decode_frame`), `bucket_for` for a per-type budget, `handler_for`
    to route several types to one method."""

    frame_types: frozenset[str] = frozenset()
    bucket: TokenBucket
    socket_kind = "socket"  # the metrics' `kind`: by default the class name less "Consumer", lower case
    is_counted_open = False
    is_refusal_counted = False
    refusal_reason: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "socket_kind" not in cls.__dict__:
            cls.socket_kind = cls.__name__.removesuffix("Consumer").lower()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """The connection's whole life: its own request id, and counted open from accept to its end
        (whatever ends it: a goodbye, a failed handshake, a cancelled task)."""
        with log_context.fresh(request_id=handshake_request_id(scope)):
            try:
                await super().__call__(scope, receive, send)
            finally:
                if self.is_counted_open:
                    self.is_counted_open = False
                    metrics.OPEN_SOCKETS.labels(kind=self.socket_kind).dec()

    async def accept(self, subprotocol: str | None = None, headers: Any = None) -> None:
        await super().accept(subprotocol=subprotocol, headers=headers)
        if not self.is_counted_open:
            self.is_counted_open = True
            metrics.OPEN_SOCKETS.labels(kind=self.socket_kind).inc()

    async def refuse(self, reason: str) -> None:
        """Refuse the handshake (403), counted under `reason` (origin, auth, not_found, rate_limit, budget)."""
        self.refusal_reason = reason
        await self.close()

    async def close(self, code: int | None = None, reason: str | None = None) -> None:
        """A close before accept is a refused handshake: counted, as `other` unless `refuse` named why."""
        if not self.is_counted_open and not self.is_refusal_counted:
            self.is_refusal_counted = True
            metrics.SOCKET_REFUSALS.labels(kind=self.socket_kind, reason=self.refusal_reason or "other").inc()
        await super().close(code=code, reason=reason)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Answer every frame, refused or failed, with an error frame: input never closes the socket."""
        raw = text_data if text_data is not None else bytes_data
        frame: Any = None
        try:
            frame = self.parse(raw)
            wait = self.bucket_for(frame).take()
            if wait:
                raise RateLimited(wait)
            await self.handler_for(frame)(frame)
        except RelevoError as error:
            metrics.FRAMES_REFUSED.labels(kind=self.socket_kind, code=error.code).inc()
            # Before parsing, only the error knows the frame's client_id (an oversized message).
            await self.send_error(error, client_id=error.client_id if frame is None else self.client_id_of(frame))
        except Exception:
            # A bug or an outage must not drop the socket (the widget would resend the
            # frame forever); nothing was acked, a retry with the same client_id is safe.
            logger.exception("%s frame failed on %s", self.type_of(frame), type(self).__name__)
            await self.send_error(InternalError(), client_id=None if frame is None else self.client_id_of(frame))

    def parse(self, raw: str | bytes | None) -> Any:
        """The validated frame; by default the envelope's JSON object."""
        return decode_frame(raw, allowed=self.frame_types)

    def type_of(self, frame: Any) -> str | None:
        if frame is None:
            return None
        return frame["type"] if isinstance(frame, dict) else getattr(frame, "type", None)

    def client_id_of(self, frame: Any) -> uuid.UUID | None:
        """The message the frame names, if any: error frames name it back."""
        return frame.get("client_id") if isinstance(frame, dict) else getattr(frame, "client_id", None)

    def bucket_for(self, frame: Any) -> TokenBucket:
        return self.bucket

    def handler_for(self, frame: Any) -> Handler:
        frame_type = str(self.type_of(frame))
        handler: Handler | None = getattr(self, "frame_" + frame_type.replace(".", "_"), None)
        if handler is None:
            raise BadFrame(_("Unknown frame type."))
        return handler

    async def send_frame(self, frame: dict[str, Any]) -> None:
        if await send_text(self, dumps(frame)) and frame.get("type") == "message":
            metrics.MESSAGES_RELAYED.labels(kind=self.socket_kind).inc()

    async def send_error(self, error: RelevoError, client_id: uuid.UUID | None = None) -> None:
        await self.send_frame(error_frame(error, client_id=client_id))
