"""Call frames of docs/protocol.md ("Calls"): validating what a socket sends, shaping what it gets.

Only the fields named here are relayed: a description or a candidate is rebuilt from
its checked parts, so nothing else a client puts in a frame reaches the other side.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from chats import errors
from chats.calls.models import Call, CallKind
from clients.text import has_unprintable

MAX_NUMBER = 2**63 - 1
MAX_SDP_CHARS = 12000  # an audio + video offer is 3–7 KB; the frame cap (CHAT_MAX_FRAME_BYTES) still applies
MAX_CANDIDATE_CHARS = 1024
MAX_SDP_MID_CHARS = 64
MAX_UFRAG_CHARS = 256
MAX_MLINE_INDEX = 255
# The SDP type each side may send: the agent offers, the visitor answers (no renegotiation).
SDP_TYPE_OF = {True: "offer", False: "answer"}


@dataclass(frozen=True, slots=True)
class CallFrame:
    """A validated call frame; `relayed` is what the other side gets of a `call.sdp` or `call.ice`."""

    type: str
    call: int = 0
    kind: str = ""
    relayed: dict | None = None


def parse_call_frame(frame_type: str, data: dict, *, is_agent: bool) -> CallFrame:
    if frame_type == "call.offer":
        kind = data.get("kind")
        if kind not in CallKind.values:
            raise errors.BadFrame(_("“kind” must be voice or video."))
        return CallFrame(type=frame_type, kind=kind)
    call = data.get("call")
    if not isinstance(call, int) or isinstance(call, bool) or not 0 < call <= MAX_NUMBER:
        raise errors.BadFrame(_("“call” must be a call id."))
    if frame_type == "call.sdp":
        return CallFrame(type=frame_type, call=call, relayed={"description": _description(data, is_agent=is_agent)})
    if frame_type == "call.ice":
        return CallFrame(type=frame_type, call=call, relayed={"candidate": _candidate(data)})
    return CallFrame(type=frame_type, call=call)


def _description(data: dict, *, is_agent: bool) -> dict:
    description = data.get("description")
    if not isinstance(description, dict) or description.get("type") != SDP_TYPE_OF[is_agent]:
        raise errors.BadFrame(_("“description” must be an SDP %(type)s.") % {"type": SDP_TYPE_OF[is_agent]})
    sdp = description.get("sdp")
    if not isinstance(sdp, str) or not sdp.strip():
        raise errors.BadFrame(_("“description” must be an SDP %(type)s.") % {"type": SDP_TYPE_OF[is_agent]})
    if len(sdp) > MAX_SDP_CHARS:
        raise errors.TooLong(
            _("A session description may have at most %(limit)s characters.") % {"limit": MAX_SDP_CHARS}
        )
    if has_unprintable(sdp):
        raise errors.InvalidInput(_("The session description contains a control character."))
    return {"type": description["type"], "sdp": sdp}


def _candidate(data: dict) -> dict | None:
    """An RTCIceCandidateInit, or None: the end of the candidates."""
    candidate = data.get("candidate", None)
    if candidate is None:
        return None
    if not isinstance(candidate, dict):
        raise errors.BadFrame(_("“candidate” must be an ICE candidate or null."))
    text = _optional_line(candidate, "candidate", MAX_CANDIDATE_CHARS) or ""
    mid = _optional_line(candidate, "sdpMid", MAX_SDP_MID_CHARS)
    ufrag = _optional_line(candidate, "usernameFragment", MAX_UFRAG_CHARS)
    index = candidate.get("sdpMLineIndex")
    if index is not None and (
        not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= MAX_MLINE_INDEX
    ):
        raise errors.BadFrame(_("“sdpMLineIndex” must be a small whole number or null."))
    if mid is None and index is None:
        raise errors.BadFrame(_("An ICE candidate needs “sdpMid” or “sdpMLineIndex”."))
    return {"candidate": text, "sdpMid": mid, "sdpMLineIndex": index, "usernameFragment": ufrag}


def _optional_line(data: dict, name: str, limit: int) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise errors.BadFrame(_("“%(field)s” must be text.") % {"field": name})
    if len(value) > limit:
        raise errors.TooLong(_("“%(field)s” may have at most %(limit)s characters.") % {"field": name, "limit": limit})
    if has_unprintable(value, multiline=False):
        raise errors.InvalidInput(_("“%(field)s” contains a control character.") % {"field": name})
    return value


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def call_payload(call: Call) -> dict:
    return {
        "id": call.pk,
        "kind": call.kind,
        "status": call.status,
        "offered_at": iso(call.offered_at),
        "answered_at": iso(call.answered_at),
        "connected_at": iso(call.connected_at),
        "ended_at": iso(call.ended_at),
        "ended_by": call.ended_by or None,
        "duration_seconds": call.duration_seconds,
    }


def call_frame(call: Call) -> dict:
    """The `call` frame both sides get on every change, with the STUN/TURN servers to use."""
    return {
        "type": "call",
        "conversation": call.conversation_id,
        "call": call_payload(call),
        "ice_servers": settings.CHAT_ICE_SERVERS,
    }


def signal_frame(*, frame_type: str, conversation_id: int, call_id: int, relayed: dict) -> dict:
    return {"type": frame_type, "conversation": conversation_id, "call": call_id, **relayed}
