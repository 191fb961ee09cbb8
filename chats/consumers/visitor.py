"""`/ws/chat/<id>/`: the widget's socket of one conversation."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qs

from chats import events, protocol, transcript_requests, visitor_presence
from chats.consumers.base import ChatSocket, database_sync_to_async, header
from chats.models import SenderKind
from chats.ratings import services as ratings
from core import log_context, sockets
from core.errors import RelevoError

logger = logging.getLogger(__name__)


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
            session = await database_sync_to_async(visitor_presence.open_visitor_session)(
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
                await database_sync_to_async(visitor_presence.visitor_state)(conversation_id=self.conversation_id)
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
        await database_sync_to_async(visitor_presence.close_visitor_session)(conversation_id=self.conversation_id)

    async def frame_message(self, frame: protocol.ClientFrame) -> None:
        await self.post_message(frame, conversation_id=self.conversation_id, sender=SenderKind.VISITOR)

    async def frame_resume(self, frame: protocol.ClientFrame) -> None:
        state = await database_sync_to_async(visitor_presence.visitor_state)(conversation_id=self.conversation_id)
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
        state = await database_sync_to_async(visitor_presence.visitor_heartbeat)(conversation_id=self.conversation_id)
        await self.send_frame({"type": "pong"})
        await self.catch_up(state)

    async def catch_up(self, state: visitor_presence.VisitorState) -> None:
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
        state = await database_sync_to_async(visitor_presence.visitor_state)(conversation_id=self.conversation_id)
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
