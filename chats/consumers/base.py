"""What the chat's sockets share: frames in (core.sockets' template), frames out, cursors and gap
filling (chats.consumers), with the helpers the visit and floor sockets use too."""

from __future__ import annotations

import logging

from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from chats import events, group_commit, protocol
from chats.calls.consumers import CallSignalling
from chats.transcript import message_frames_after
from chats.writer import PostedMessage
from clients.origins import is_own_origin
from core import limits, sockets

logger = logging.getLogger(__name__)


def database_sync_to_async(func):
    """Run ORM work in the thread pool (not the single thread-sensitive thread), so
    the sockets of one process do not queue behind each other's queries; old
    connections are still retired after each call."""
    return DatabaseSyncToAsync(func, thread_sensitive=False)


def collecting_events(func, collected: list):
    """Wrap a sync service so the doorbells it rings after commit land in `collected`."""

    def run(**kwargs):
        token = events.outbox.set(collected)
        try:
            return func(**kwargs)
        finally:
            events.outbox.reset(token)

    return run


HISTORY_PAGE = 500


def header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class ChatSocket(CallSignalling, sockets.FrameSocket):
    """What visitor and agent sockets share: frames in (core.sockets' template), frames out, cursors,
    gap filling."""

    is_agent = False
    include_internal = True  # internal notes: never on a visitor's socket

    async def dispatch(self, message: dict) -> None:
        """Channels' dispatch without its `aclose_old_connections()` per frame and per
        doorbell, a hop to the one thread-sensitive thread that every socket queued
        behind: the ORM work of these sockets runs through DatabaseSyncToAsync, which
        retires old connections around each call itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    def new_bucket(self) -> limits.TokenBucket:
        if self.is_agent:
            return limits.TokenBucket(settings.CHAT_AGENT_FRAMES_PER_MINUTE, settings.CHAT_AGENT_FRAME_BURST)
        return limits.TokenBucket(settings.CHAT_VISITOR_FRAMES_PER_MINUTE, settings.CHAT_VISITOR_FRAME_BURST)

    def parse(self, raw: str | bytes | None) -> protocol.ClientFrame:
        return protocol.parse_frame(raw, is_agent=self.is_agent)

    def handler_for(self, frame: protocol.ClientFrame) -> sockets.Handler:
        """Call and callback frames go to CallSignalling; the others to `frame_<type>`."""
        return self.handle_call_frame if frame.is_call else super().handler_for(frame)

    async def call_service(self, func, **kwargs):
        """Run a service in the thread pool, then ring the doorbells it collected
        (even when it raised after committing something)."""
        collected: list[tuple[str, dict]] = []
        try:
            return await database_sync_to_async(collecting_events(func, collected))(**kwargs)
        finally:
            await events.ring_all(self.channel_layer, collected)

    async def ring(self, group: str, event: dict) -> None:
        """Send a doorbell; never raises (events.ring rings it again once the layer answers)."""
        await events.ring(self.channel_layer, group, event)

    async def join(self, group: str) -> None:
        """Join a group; a layer error never fails the handshake (the pub/sub layer joins
        once Redis answers; meanwhile heartbeats fill the socket's gaps)."""
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except Exception as error:  # the layer's errors vary with its backend
            logger.warning("could not join %s: %r", group, error)

    async def leave(self, group: str) -> None:
        try:
            await self.channel_layer.group_discard(group, self.channel_name)
        except Exception as error:  # the layer's errors vary with its backend
            logger.warning("could not leave %s: %r", group, error)

    async def deliver_after(self, conversation_id: int, after: int) -> None:
        """Send every stored message with seq > `after`, in pages, oldest first."""
        while True:
            frames = await database_sync_to_async(message_frames_after)(
                conversation_id=conversation_id, after=after, limit=HISTORY_PAGE, include_internal=self.include_internal
            )
            for frame in frames:
                await self.send_frame(frame)
            if frames:
                after = frames[-1]["seq"]
                self.cursors[conversation_id] = max(self.cursors.get(conversation_id, 0), after)
            if len(frames) < HISTORY_PAGE:
                return

    async def chat_message(self, event: dict) -> None:
        conversation_id, seq = event["conversation"], event["seq"]
        cursor = self.cursors.get(conversation_id)
        if cursor is None or seq <= cursor:
            return
        if seq == cursor + 1:
            await self.send_frame(event["frame"])
            self.cursors[conversation_id] = seq
        else:
            await self.deliver_after(conversation_id, cursor)

    async def chat_redacted(self, event: dict) -> None:
        """A message this socket may have shown was masked after the fact: pass on its new text."""
        if event["conversation"] in self.cursors:
            await self.send_frame(event["frame"])

    async def post_message(self, frame: protocol.ClientFrame, **request) -> None:
        """Store a `message` frame (with the MessageRequest fields this side adds) through this
        process's group commit, then ack it to this socket."""
        posted = await group_commit.post_message(body=frame.body, client_id=frame.client_id, **request)
        await self.acknowledge(posted, frame.client_id)

    async def acknowledge(self, posted: PostedMessage, client_id) -> None:
        conversation_id = posted.frame["conversation"]
        ack = protocol.ack_frame(conversation_id=conversation_id, client_id=client_id, seq=posted.seq)
        if posted.masked:
            ack.update(masked=True, body=posted.frame["body"])
        await self.send_frame(ack)
        if self.cursors.get(conversation_id) == posted.seq - 1:
            self.cursors[conversation_id] = posted.seq


def is_console_origin(scope) -> bool:
    """The agent and floor sockets accept only pages of Relevo itself (no cross-site hijacking):
    the socket's own scheme, Host and port, or one of CSRF_TRUSTED_ORIGINS (clients.origins)."""
    return is_own_origin(header(scope, b"origin"), host=header(scope, b"host"), is_secure=is_secure(scope))


def is_secure(scope) -> bool:
    """wss, or https at a proxy that says so in SECURE_PROXY_SSL_HEADER (as Django's request.is_secure)."""
    if scope.get("scheme") in {"wss", "https"}:
        return True
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if not proxy_header:
        return False
    name, value = proxy_header
    forwarded = header(scope, name.removeprefix("HTTP_").lower().replace("_", "-").encode())
    return forwarded is not None and forwarded.split(",")[0].strip() == value


class UnknownSocket(AsyncWebsocketConsumer):
    """Any other websocket path (`/ws/chat/-1/`, `/ws/nope/`): refused at the handshake (403),
    where the router alone would fail with a server error."""

    async def connect(self):
        await self.close()
