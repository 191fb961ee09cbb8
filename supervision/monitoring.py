"""The floor socket's supervision frames (mixed into FloorConsumer): monitor a chat live and
read-only, whisper to its agent (an internal note), take it over. Rules: supervision.services.

Monitoring keeps a cursor per watched conversation, as the chat sockets do: a doorbell
with the next seq is sent on, a gap is filled from the database (notes included).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from channels.consumer import get_handler_name
from django.conf import settings
from django.utils.translation import gettext as _

from chats import errors, events, protocol
from chats.consumers.base import ChatSocket, collecting_events, database_sync_to_async
from core import limits
from supervision import services as supervision

SUPERVISION_FRAME_TYPES = {"monitor", "unmonitor", "whisper", "take_over"}
MAX_MONITORED = 20


@dataclass(frozen=True, slots=True)
class SupervisionFrame:
    """A validated floor frame: `type`, `conversation` and, for a whisper, `client_id` and `body`."""

    type: str
    conversation: int
    client_id: uuid.UUID | None = None
    body: str = ""


def parse_supervision_frame(raw: str | bytes | None) -> SupervisionFrame:
    data = protocol.decode_frame(raw, allowed=SUPERVISION_FRAME_TYPES)
    if data["type"] == "whisper":
        return SupervisionFrame(
            type="whisper",
            conversation=protocol.conversation_field(data),
            client_id=protocol.client_id_field(data),
            body=protocol.body_field(data),
        )
    return SupervisionFrame(type=data["type"], conversation=protocol.conversation_field(data))


class SupervisionSocket:
    """The floor's frames, handled through core.sockets' template (FrameSocket). Expects
    `self.scope["user"]`, `self.channel_layer`, `self.channel_name` and `self.send_frame`."""

    include_internal = True  # supervisors see internal notes

    def start_supervision(self) -> None:
        self.cursors: dict[int, int] = {}
        self.bucket = limits.TokenBucket(settings.CHAT_AGENT_FRAMES_PER_MINUTE, settings.CHAT_AGENT_FRAME_BURST)

    def parse(self, raw: str | bytes | None) -> SupervisionFrame:
        return parse_supervision_frame(raw)

    async def frame_monitor(self, frame: SupervisionFrame) -> None:
        conversation_id = frame.conversation
        if conversation_id not in self.cursors and len(self.cursors) >= MAX_MONITORED:
            raise errors.InvalidInput(_("You are monitoring too many chats: close one first."))
        payload = await database_sync_to_async(supervision.start_monitoring)(
            user=self.scope["user"], conversation_id=conversation_id
        )
        await self.channel_layer.group_add(events.conversation_group(conversation_id), self.channel_name)
        self.cursors.setdefault(conversation_id, 0)
        await self.send_frame({"type": "monitoring", "conversation": payload})
        await self.deliver_after(conversation_id, self.cursors[conversation_id])

    async def frame_unmonitor(self, frame: SupervisionFrame) -> None:
        await self.stop_monitoring(frame.conversation)

    async def frame_whisper(self, frame: SupervisionFrame) -> None:
        collected: list = []
        posted = await database_sync_to_async(collecting_events(supervision.whisper, collected))(
            user=self.scope["user"], conversation_id=frame.conversation, body=frame.body, client_id=frame.client_id
        )
        for group, event in collected:
            await events.ring(self.channel_layer, group, event)
        await self.send_frame(
            protocol.ack_frame(conversation_id=frame.conversation, client_id=frame.client_id, seq=posted.seq)
        )

    async def frame_take_over(self, frame: SupervisionFrame) -> None:
        collected: list = []
        await database_sync_to_async(collecting_events(supervision.take_over, collected))(
            user=self.scope["user"], conversation_id=frame.conversation
        )
        for group, event in collected:
            await events.ring(self.channel_layer, group, event)
        await self.send_frame({"type": "took_over", "conversation": frame.conversation})

    async def stop_monitoring(self, conversation_id: int) -> None:
        if self.cursors.pop(conversation_id, None) is not None:
            await self.channel_layer.group_discard(events.conversation_group(conversation_id), self.channel_name)

    async def stop_all_monitoring(self) -> None:
        for conversation_id in list(getattr(self, "cursors", {})):
            await self.stop_monitoring(conversation_id)

    # --- doorbells of the monitored conversations' groups: the chat sockets' own cursor rules
    deliver_after = ChatSocket.deliver_after
    chat_message = ChatSocket.chat_message
    chat_redacted = ChatSocket.chat_redacted

    async def chat_status(self, event: dict) -> None:
        if event["conversation"] not in self.cursors:
            return
        await self.deliver_after(event["conversation"], self.cursors[event["conversation"]])
        await self.send_frame(event["frame"])
        if event["frame"]["status"] in {"closed", "missed"}:
            await self.stop_monitoring(event["conversation"])

    async def chat_typing(self, event: dict) -> None:
        if event["conversation"] in self.cursors:
            await self.send_frame({"type": "typing", "conversation": event["conversation"], "sender": event["sender"]})

    async def dispatch(self, message: dict) -> None:
        """Doorbells of a monitored chat this socket has no use for (a call's signalling, what later
        features add to the conversation's group) are ignored rather than closing the socket."""
        if not hasattr(self, get_handler_name(message)):
            return
        await super().dispatch(message)
