"""The call frames of both chat sockets (mixed into chats.consumers.base.ChatSocket).

State changes go through chats.calls.services (persisted, then announced with a
`call.state` doorbell). SDP and ICE are relayed straight over the channel layer to
the one tab on each side that took part in the call (`own_calls`): ephemeral, at
most once, never stored; a lost one fails the call, which either side can hang up.
"""

from __future__ import annotations

import logging

from django.conf import settings

from chats import errors, events, protocol
from chats.calls import callbacks, services
from chats.calls.frames import parse_call_frame, signal_frame
from core import limits

logger = logging.getLogger(__name__)


class CallSignalling:
    """Parse, permit and act on `call.*` frames; pass `call` and signal events to the browser."""

    is_agent: bool

    @property
    def own_calls(self) -> set[int]:
        """Calls this socket offered (agent) or accepted (visitor): the ones it relays SDP and ICE for."""
        if not hasattr(self, "_own_calls"):
            self._own_calls: set[int] = set()
        return self._own_calls

    def bucket_for(self, frame: protocol.ClientFrame) -> limits.TokenBucket:
        """Call frames have their own, larger, budget: ICE candidates come in bursts."""
        if not frame.is_call:
            return self.bucket
        if not hasattr(self, "call_bucket"):
            self.call_bucket = limits.TokenBucket(settings.CHAT_CALL_FRAMES_PER_MINUTE, settings.CHAT_CALL_FRAME_BURST)
        return self.call_bucket

    def call_conversation(self, frame: protocol.ClientFrame) -> int:
        """The agent names the conversation; a visitor may only name their own."""
        if self.is_agent:
            return frame.conversation
        named = frame.fields.get("conversation", self.conversation_id)
        if named != self.conversation_id:
            raise errors.Forbidden()
        return self.conversation_id

    async def handle_call_frame(self, frame: protocol.ClientFrame) -> None:
        if frame.type == "callback.request":
            await self.request_callback(frame)
            return
        call = parse_call_frame(frame.type, frame.fields, is_agent=self.is_agent)
        conversation_id = self.call_conversation(frame)
        agent = self.agent if self.is_agent else None
        if call.type == "call.offer":
            offered = await self.call_service(
                services.offer_call, conversation_id=conversation_id, agent=agent, kind=call.kind
            )
            self.own_calls.add(offered.pk)
        elif call.type in {"call.accept", "call.decline"}:
            await self.call_service(
                services.answer_call,
                conversation_id=conversation_id,
                call_id=call.call,
                accept=call.type == "call.accept",
            )
            if call.type == "call.accept":
                self.own_calls.add(call.call)
        elif call.type == "call.connected":
            await self.call_service(
                services.mark_connected, conversation_id=conversation_id, call_id=call.call, agent=agent
            )
        elif call.type == "call.hangup":
            await self.call_service(services.hang_up, conversation_id=conversation_id, call_id=call.call, agent=agent)
        else:
            if call.call not in self.own_calls:
                raise errors.Forbidden()  # another tab's call, or none of this socket's
            await self.call_service(
                services.check_signal, conversation_id=conversation_id, call_id=call.call, agent=agent
            )
            await self.relay_signal(
                conversation_id,
                call.call,
                signal_frame(
                    frame_type=call.type, conversation_id=conversation_id, call_id=call.call, relayed=call.relayed
                ),
            )

    async def request_callback(self, frame: protocol.ClientFrame) -> None:
        """`{"type":"callback.request","phone","at","timezone"}`: answered with a `callback` frame."""
        fields = frame.fields
        callback = await self.call_service(
            callbacks.request_callback,
            conversation_id=self.call_conversation(frame),
            phone=fields.get("phone"),
            preferred_at=fields.get("at"),
            visitor_timezone=fields.get("timezone"),
        )
        await self.send_frame(callbacks.callback_frame(callback))

    async def send_open_call(self, conversation_id: int) -> None:
        """A socket that (re)connects learns of a call still open: an offer to answer, or one to hang up."""
        frame = await self.call_service(services.open_call_frame, conversation_id=conversation_id)
        if frame is not None:
            await self.send_frame(frame)

    async def relay_signal(self, conversation_id: int, call_id: int, frame: dict) -> None:
        """Straight to the layer: no re-ringing of a stale candidate after an outage."""
        event = {
            "type": "call.signal",
            "conversation": conversation_id,
            "call": call_id,
            "sender": "agent" if self.is_agent else "visitor",
            "frame": frame,
        }
        try:
            await self.channel_layer.group_send(events.conversation_group(conversation_id), event)
        except Exception as error:  # the layer's errors vary with its backend
            logger.warning("call signal for conversation %s lost: %r", conversation_id, error)

    async def call_state(self, event: dict) -> None:
        if event["conversation"] in self.cursors:
            await self.send_frame(event["frame"])

    async def call_signal(self, event: dict) -> None:
        is_from_other_side = (event["sender"] == "agent") != self.is_agent
        if is_from_other_side and event["call"] in self.own_calls and event["conversation"] in self.cursors:
            await self.send_frame(event["frame"])
