"""Websocket edges of the chat: parse a frame, call one service, send what it returns.

Each socket remembers, per conversation, the last seq it delivered (`cursors`).
Layer events are doorbells: the next seq in line is sent straight from the
event, anything else (a gap, a reconnect, a heartbeat finding more) is read from
the database, so a lost event delays a message but never loses it.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from agency import sessions
from chats import errors, events, group_commit, protocol, services, transcript_requests
from chats.calls.consumers import CallSignalling
from chats.models import SenderKind
from chats.ratings import services as ratings
from chats.teamwork.consumers import TeamworkAgentSocket
from chats.transcript import message_frames_after
from clients.origins import is_own_origin
from core import limits, log_context, sockets
from core.errors import RelevoError

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


CLOSED_STATUSES = {"closed", "missed"}
HISTORY_PAGE = 500


def header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


VISITOR_SUBPROTOCOL = "relevo.v1"
TOKEN_SUBPROTOCOL_PREFIX = "relevo-token."  # noqa: S105 (a prefix, not a secret)


def visitor_credentials(scope) -> tuple[str | None, str | None]:
    """The visitor's token and the subprotocol to accept.

    The token comes in a `relevo-token.<token>` subprotocol, so it stays out of
    URLs and the access logs that print them; `?token=` still works (deprecated).
    The token subprotocol itself is never echoed back.
    """
    offered = scope.get("subprotocols") or []
    token = next(
        (p.removeprefix(TOKEN_SUBPROTOCOL_PREFIX) for p in offered if p.startswith(TOKEN_SUBPROTOCOL_PREFIX)), None
    )
    if token is None:
        token = parse_qs(scope.get("query_string", b"").decode()).get("token", [None])[0]
    return token, VISITOR_SUBPROTOCOL if VISITOR_SUBPROTOCOL in offered else None


def status_key(frame: dict) -> tuple:
    """What a visitor sees of a status frame (`offline` is how a missed chat is shown)."""
    status = "missed" if frame["status"] == protocol.OFFLINE else frame["status"]
    return (
        status,
        frame["queue_position"],
        frame["agent"],
        frame.get("estimated_wait_seconds"),
        frame.get("leave_message_offered"),
    )


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

    async def acknowledge(self, posted: services.PostedMessage, client_id) -> None:
        conversation_id = posted.frame["conversation"]
        ack = protocol.ack_frame(conversation_id=conversation_id, client_id=client_id, seq=posted.seq)
        if posted.masked:
            ack.update(masked=True, body=posted.frame["body"])
        await self.send_frame(ack)
        if self.cursors.get(conversation_id) == posted.seq - 1:
            self.cursors[conversation_id] = posted.seq


def quality_reply(*, conversation_id: int, frame: protocol.ClientFrame) -> dict:
    """The visitor's `rating` or `transcript` frame, answered with `rated` or `transcript_queued`."""
    if frame.type == "rating":
        rating = ratings.rate_conversation(conversation_id=conversation_id, score=frame.score, comment=frame.comment)
        return {"type": "rated", "conversation": conversation_id, "score": rating.score, "comment": rating.comment}
    address = transcript_requests.request_transcript(conversation_id=conversation_id, email=frame.email)
    return {"type": "transcript_queued", "conversation": conversation_id, "email": address}


class VisitorConsumer(ChatSocket):
    """`/ws/chat/<id>/`: the widget's socket for one conversation (token in the
    `relevo-token.<token>` subprotocol, or the deprecated `?token=`).

    It remembers the last status it sent, and re-sends the current one whenever a
    heartbeat or `resume` finds it changed, so a lost status doorbell heals too.
    """

    include_internal = False

    async def connect(self):
        self.cursors: dict[int, int] = {}
        self.bucket = self.new_bucket()
        self.status_sent: tuple | None = None
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        token, subprotocol = visitor_credentials(self.scope)
        try:
            session = await database_sync_to_async(services.open_visitor_session)(
                conversation_id=conversation_id,
                token=token,
                origin=header(self.scope, b"origin"),
            )
        except RelevoError as error:
            logger.info("visitor socket refused for conversation %s: %s", conversation_id, error.code)
            await self.refuse(sockets.refusal_reason(error))
            return
        self.conversation_id = session.conversation_id
        log_context.bind(conversation_id=session.conversation_id, client_id=session.client_id)
        self.group = events.conversation_group(self.conversation_id)
        try:
            await self.join(self.group)
            await self.accept(subprotocol=subprotocol)
            self.cursors[self.conversation_id] = session.last_seq
            # Read after joining the group: a change made since the session opened (its
            # own routing, say) is in this read or in a doorbell that reaches us.
            await self.catch_up(
                await database_sync_to_async(services.visitor_state)(conversation_id=self.conversation_id)
            )
            await self.send_open_call(self.conversation_id)
        except BaseException:
            # A consumer that dies in connect never gets `disconnect`: give its place back here,
            # or this process's lease would keep counting the socket for as long as it lives.
            await self.release_place()
            raise

    async def disconnect(self, code):
        self.refresh_when_the_offer_is_due(None)
        await self.release_place()

    async def release_place(self) -> None:
        """Leave the group and give back the socket's place, once."""
        if getattr(self, "group", None) is None:
            return
        group, self.group = self.group, None
        await self.leave(group)
        await database_sync_to_async(services.close_visitor_session)(conversation_id=self.conversation_id)

    async def frame_message(self, frame: protocol.ClientFrame) -> None:
        posted = await group_commit.post_message(
            conversation_id=self.conversation_id,
            sender=SenderKind.VISITOR,
            body=frame.body,
            client_id=frame.client_id,
        )
        await self.acknowledge(posted, frame.client_id)

    async def frame_resume(self, frame: protocol.ClientFrame) -> None:
        state = await database_sync_to_async(services.visitor_state)(conversation_id=self.conversation_id)
        await self.send_status(state.status_frame, only_if_changed=True)
        await self.deliver_after(self.conversation_id, frame.after)

    async def frame_typing(self, frame: protocol.ClientFrame) -> None:
        await self.ring(
            self.group,
            {
                "type": "chat.typing",
                "conversation": self.conversation_id,
                "sender": "visitor",
            },
        )

    async def frame_ping(self, frame: protocol.ClientFrame) -> None:
        await self.heartbeat()

    async def frame_rating(self, frame: protocol.ClientFrame) -> None:
        await self.send_frame(await self.call_service(quality_reply, conversation_id=self.conversation_id, frame=frame))

    frame_transcript = frame_rating

    async def heartbeat(self) -> None:
        state = await database_sync_to_async(services.visitor_heartbeat)(conversation_id=self.conversation_id)
        await self.send_frame({"type": "pong"})
        await self.catch_up(state)

    async def catch_up(self, state: services.VisitorState) -> None:
        """Send the status if it differs from the last one sent, then any undelivered message."""
        await self.send_status(state.status_frame, only_if_changed=True)
        if state.last_seq > self.cursors[self.conversation_id]:
            await self.deliver_after(self.conversation_id, self.cursors[self.conversation_id])
            # Everything up to last_seq was read: trailing internal notes are passed, not re-read each ping.
            self.cursors[self.conversation_id] = max(self.cursors[self.conversation_id], state.last_seq)

    async def send_status(self, frame: dict, *, only_if_changed: bool = False) -> None:
        key = status_key(frame)
        if only_if_changed and key == self.status_sent:
            return
        if key[0] == "queued" and self.status_sent and self.status_sent[0] != "queued":
            return  # a late place-in-line doorbell: no chat goes back to the queue
        self.status_sent = key
        await self.send_frame(frame)
        self.refresh_when_the_offer_is_due(frame.get("leave_message_offered_in_seconds"))

    def refresh_when_the_offer_is_due(self, seconds: int | None) -> None:
        """A queued visitor is offered to leave a message the moment the client's longest wait
        ends, not at their next heartbeat: re-read the status then (one timer per socket)."""
        if getattr(self, "offer_timer", None) is not None:
            self.offer_timer.cancel()
        self.offer_timer = (
            None
            if seconds is None
            else asyncio.get_running_loop().call_later(
                seconds + 0.5, lambda: asyncio.ensure_future(self.refresh_status())
            )
        )

    async def refresh_status(self) -> None:
        if getattr(self, "group", None) is None:
            return  # the socket has gone
        state = await database_sync_to_async(services.visitor_state)(conversation_id=self.conversation_id)
        await self.send_status(state.status_frame, only_if_changed=True)

    async def chat_status(self, event: dict) -> None:
        await self.send_status(event["frame"])

    async def chat_redacted(self, event: dict) -> None:
        if not event.get("internal"):  # an internal note's new text never reaches a visitor
            await super().chat_redacted(event)

    async def chat_message(self, event: dict) -> None:
        if event["frame"].get("internal"):  # an internal note: pass its seq, show nothing
            if self.cursors.get(event["conversation"]) == event["seq"] - 1:
                self.cursors[event["conversation"]] = event["seq"]
            return
        await super().chat_message(event)

    async def chat_typing(self, event: dict) -> None:
        if event["sender"] != "visitor":
            await self.send_frame({"type": "typing", "conversation": event["conversation"], "sender": event["sender"]})


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


class AgentConsumer(sessions.LoginBoundSocket, TeamworkAgentSocket, ChatSocket):
    """`/ws/agent/`: an agent's console, carrying all of their conversations; it lives on its
    login and on the user staying an agent (agency.sessions)."""

    is_agent = True

    async def connect(self):
        self.cursors = {}
        self.watching: set[int] = set()  # chats taken over by a supervisor, shown read-only
        self.bucket = self.new_bucket()
        if not is_console_origin(self.scope):
            await self.refuse("origin")
            return
        self.agent = await database_sync_to_async(services.agent_for_user)(self.scope.get("user"))
        if self.agent is None:
            await self.refuse("auth")
            return
        log_context.bind(agent_id=self.agent.pk)
        self.agent_group = events.agent_group(self.agent.pk)
        await self.join(self.agent_group)
        await self.follow_login(self.agent.user_id)
        await self.accept()
        await self.send_frame({"type": "presence", "presence": self.agent.presence})
        for payload in await self.call_service(services.agent_came_online, agent_id=self.agent.pk):
            await self.track(payload)
        await self.send_transfer_offers()

    async def disconnect(self, code):
        for conversation_id in list(self.cursors):
            await self.leave(events.conversation_group(conversation_id))
        if hasattr(self, "agent_group"):
            await self.leave(self.agent_group)
        await self.stop_following_login()

    def may_keep_login(self, user) -> bool:
        return services.agent_for_user(user) is not None

    async def track(self, payload: dict) -> None:
        """Follow a conversation: join its group, announce it, send its whole history."""
        conversation_id = payload["id"]
        if conversation_id in self.cursors and conversation_id not in self.watching:
            return
        self.watching.discard(conversation_id)
        await self.join(events.conversation_group(conversation_id))
        self.cursors[conversation_id] = 0
        await self.send_frame({"type": "assigned", "conversation": payload})
        await self.deliver_after(conversation_id, 0)
        await self.send_open_call(conversation_id)

    async def untrack(self, conversation_id: int) -> None:
        self.watching.discard(conversation_id)
        if self.cursors.pop(conversation_id, None) is not None:
            await self.leave(events.conversation_group(conversation_id))

    def check_assigned(self, conversation_id: int | None) -> None:
        if conversation_id not in self.cursors:
            raise errors.Forbidden()

    async def frame_message(self, frame: protocol.ClientFrame) -> None:
        posted = await group_commit.post_message(
            conversation_id=frame.conversation,
            sender=SenderKind.AGENT,
            body=frame.body,
            client_id=frame.client_id,
            agent=self.agent,
            internal=frame.internal,
        )
        await self.acknowledge(posted, frame.client_id)

    async def frame_typing(self, frame: protocol.ClientFrame) -> None:
        self.check_assigned(frame.conversation)
        await self.ring(
            events.conversation_group(frame.conversation),
            {
                "type": "chat.typing",
                "conversation": frame.conversation,
                "sender": "agent",
            },
        )

    async def frame_resume(self, frame: protocol.ClientFrame) -> None:
        self.check_assigned(frame.conversation)
        await self.deliver_after(frame.conversation, frame.after)

    async def frame_close(self, frame: protocol.ClientFrame) -> None:
        await self.call_service(services.close_conversation, conversation_id=frame.conversation, agent=self.agent)

    async def frame_presence(self, frame: protocol.ClientFrame) -> None:
        await self.call_service(services.set_presence, agent=self.agent, presence=frame.presence)

    async def frame_ping(self, frame: protocol.ClientFrame) -> None:
        await self.heartbeat()

    async def heartbeat(self) -> None:
        """Refresh liveness and heal anything a lost doorbell left behind."""
        open_seqs = await database_sync_to_async(services.agent_heartbeat)(agent_id=self.agent.pk)
        await self.send_frame({"type": "pong"})
        for conversation_id in [c for c in self.cursors if c not in open_seqs and c not in self.watching]:
            await self.deliver_after(conversation_id, self.cursors[conversation_id])  # the closing line
            await self.untrack(conversation_id)
            await self.send_frame(protocol.status_frame(conversation_id=conversation_id, status="closed"))
        for conversation_id, last_seq in open_seqs.items():
            if conversation_id not in self.cursors:
                await self.chat_assigned({"conversation": conversation_id})
            elif last_seq > self.cursors[conversation_id]:
                await self.deliver_after(conversation_id, self.cursors[conversation_id])

    async def chat_assigned(self, event: dict) -> None:
        payloads = await database_sync_to_async(services.open_conversations_of)(
            agent_id=self.agent.pk,
            conversation_id=event["conversation"],
        )
        for payload in payloads:
            await self.track(payload)

    async def chat_status(self, event: dict) -> None:
        frame = event["frame"]
        if frame["status"] in CLOSED_STATUSES and event["conversation"] in self.cursors:
            # Deliver the closing system line before letting go of the conversation.
            await self.deliver_after(event["conversation"], self.cursors[event["conversation"]])
            await self.untrack(event["conversation"])
            await self.send_frame(frame)

    async def chat_typing(self, event: dict) -> None:
        if event["sender"] != "agent":
            await self.send_frame({"type": "typing", "conversation": event["conversation"], "sender": event["sender"]})

    async def chat_rating(self, event: dict) -> None:
        """The visitor rated a chat of ours (open or ended): the console shows it."""
        await self.send_frame(event["frame"])

    async def escalation_answered(self, event: dict) -> None:
        """The client answered a question this agent escalated (reports.escalations): the console shows it."""
        await self.send_frame(event["frame"])

    async def agent_presence(self, event: dict) -> None:
        self.agent.presence = event["presence"]
        await self.send_frame({"type": "presence", "presence": event["presence"]})


class UnknownSocket(AsyncWebsocketConsumer):
    """Any other websocket path (`/ws/chat/-1/`, `/ws/nope/`): refused at the handshake (403),
    where the router alone would fail with a server error."""

    async def connect(self):
        await self.close()
