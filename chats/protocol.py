"""The websocket frames of docs/protocol.md: parsing what clients send, shaping what we send."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeGuard

from django.utils.translation import gettext as _

from chats import errors
from core.sockets import decode_frame, dumps, error_frame  # noqa: F401 (every socket's envelope, named for chat code)

if TYPE_CHECKING:
    from chats.waiting import QueueOutlook

# Calls (chats.calls.frames checks their fields): the agent offers, the visitor answers, both signal.
CALL_FRAME_TYPES = {"call.sdp", "call.ice", "call.connected", "call.hangup"}
CALL_FRAME_PREFIXES = ("call.", "callback.")
VISITOR_FRAME_TYPES = {
    "message",
    "typing",
    "resume",
    "ping",
    "rating",
    "transcript",
    "call.accept",
    "call.decline",
    "callback.request",
} | CALL_FRAME_TYPES
AGENT_FRAME_TYPES = {"message", "typing", "resume", "close", "presence", "ping", "call.offer"} | CALL_FRAME_TYPES
TEAMWORK_FRAME_TYPES = {"transfer", "transfer_accept"}  # agents' frames handled by chats.teamwork
PRESENCE_VALUES = {"online", "away", "offline"}
MAX_NUMBER = 2**63 - 1  # ids and seqs are compared with bigint columns: larger is no id at all


@dataclass(frozen=True, slots=True)
class ClientFrame:
    """A validated frame from a visitor or an agent."""

    type: str
    conversation: int | None = None
    client_id: uuid.UUID | None = None
    body: str = ""
    after: int = 0
    presence: str = ""
    internal: bool = False  # an agent's internal note
    fields: dict[str, Any] | None = None  # the whole object, for frames whose own module checks them (teamwork, calls)

    @property
    def is_call(self) -> bool:
        return self.type.startswith(CALL_FRAME_PREFIXES)

    score: int | None = None  # rating
    comment: str = ""  # rating
    email: str = ""  # transcript


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def parse_frame(raw: str | bytes | None, *, is_agent: bool) -> ClientFrame:
    """Validate one incoming chat frame; raise a RelevoError whose code the client can act on."""
    data = decode_frame(raw, allowed=AGENT_FRAME_TYPES | TEAMWORK_FRAME_TYPES if is_agent else VISITOR_FRAME_TYPES)
    frame_type = data["type"]
    conversation = conversation_field(data) if is_agent and frame_type not in {"presence", "ping"} else None
    if frame_type == "message":
        return ClientFrame(
            type="message",
            conversation=conversation,
            client_id=client_id_field(data),
            body=body_field(data),
            internal=_internal_field(data, is_agent=is_agent),
        )
    if frame_type == "resume":
        after = data.get("after", 0)
        if not _is_int(after) or not 0 <= after <= MAX_NUMBER:
            raise errors.BadFrame(_("“after” must be a whole number of at least 0."))
        return ClientFrame(type="resume", conversation=conversation, after=after)
    if frame_type == "presence":
        presence = data.get("presence")
        if not isinstance(presence, str) or presence not in PRESENCE_VALUES:
            raise errors.BadFrame(_("“presence” must be online, away or offline."))
        return ClientFrame(type="presence", presence=presence)
    if frame_type in {"rating", "transcript"}:
        return _quality_frame(frame_type, data)
    return ClientFrame(type=frame_type, conversation=conversation, fields=data)


def _internal_field(data: dict[str, Any], *, is_agent: bool) -> bool:
    internal = data.get("internal", False)
    if not isinstance(internal, bool):
        raise errors.BadFrame(_("“internal” must be true or false."))
    if internal and not is_agent:
        raise errors.BadFrame(_("Only agents can write internal notes."))
    return internal


def _quality_frame(frame_type: str, data: dict[str, Any]) -> ClientFrame:
    """The visitor's `rating` (score, optional comment) and `transcript` (optional email) frames."""
    if frame_type == "rating":
        score, comment = data.get("score"), data.get("comment", "")
        if not _is_int(score):
            raise errors.BadFrame(_("“score” must be a whole number."))
        if not isinstance(comment, str):
            raise errors.BadFrame(_("“comment” must be text."))
        return ClientFrame(type="rating", score=score, comment=comment)
    email = data.get("email", "")
    if not isinstance(email, str):
        raise errors.BadFrame(_("“email” must be text."))
    return ClientFrame(type="transcript", email=email)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def conversation_field(data: dict[str, Any]) -> int:
    conversation = data.get("conversation")
    if not _is_int(conversation) or not 0 < conversation <= MAX_NUMBER:
        raise errors.BadFrame(_("“conversation” must be a conversation id."))
    return conversation


def client_id_field(data: dict[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(str(data.get("client_id")))
    except ValueError:
        raise errors.BadFrame(_("“client_id” must be a UUID.")) from None


def body_field(data: dict[str, Any]) -> str:
    body = data.get("body")
    if not isinstance(body, str):
        raise errors.BadFrame(_("“body” must be text."))
    return body


def message_frame(
    *,
    conversation_id: int,
    seq: int,
    client_id: uuid.UUID | None,
    sender: str,
    author: str | None,
    body: str,
    at: datetime,
    internal: bool = False,
) -> dict[str, Any]:
    """`internal` (an agent's internal note) is part of the frame only when true."""
    frame: dict[str, Any] = {
        "type": "message",
        "conversation": conversation_id,
        "seq": seq,
        "client_id": str(client_id) if client_id else None,
        "sender": sender,
        "author": author,
        "body": body,
        "at": iso(at),
    }
    if internal:
        frame["internal"] = True
    return frame


def redacted_frame(*, conversation_id: int, seq: int, body: str) -> dict[str, Any]:
    """Message `seq` now reads `body` (a card number in it was masked after it was sent)."""
    return {"type": "redacted", "conversation": conversation_id, "seq": seq, "body": body}


def ack_frame(*, conversation_id: int, client_id: uuid.UUID, seq: int) -> dict[str, Any]:
    return {"type": "ack", "conversation": conversation_id, "client_id": str(client_id), "seq": seq}


OFFLINE = "offline"


def status_frame(
    *,
    conversation_id: int,
    status: str,
    queue_position: int = 0,
    agent_name: str | None = None,
    next_opening: datetime | None = None,
    outlook: QueueOutlook | None = None,
) -> dict[str, Any]:
    """`next_opening` is part of the frame only when `status` is "offline" (null when unknown);
    `estimated_wait_seconds` and `leave_message_offered` only when queued with an `outlook` (chats.waiting)."""
    frame: dict[str, Any] = {
        "type": "status",
        "conversation": conversation_id,
        "status": status,
        "queue_position": queue_position,
        "agent": {"name": agent_name} if agent_name else None,
    }
    if status == OFFLINE:
        frame["next_opening"] = iso(next_opening)
    if outlook is not None and status == "queued":
        frame["estimated_wait_seconds"] = outlook.estimated_wait_seconds
        frame["leave_message_offered"] = outlook.leave_message_offered
        frame["leave_message_offered_in_seconds"] = outlook.offer_in_seconds
    return frame
