"""Writes of the call log: offer, answer, connected, hang up; each under the conversation's row lock.

Every change is one transaction that may add a system line to the transcript (so the
call shows in the history, the visitor's transcript and the post-chat report) and,
after commit, rings a `call.state` doorbell carrying the `call` frame for both sides.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.models import Agent
from chats import errors, events
from chats.calls.errors import CallBusy, CallNotActive
from chats.calls.frames import call_frame
from chats.calls.models import OPEN_CALL_STATUSES, Call, CallKind, CallParty, CallStatus
from chats.models import Conversation, ConversationStatus
from chats.writer import post_system_message


def _locked(conversation_id: int, agent: Agent | None) -> Conversation:
    """The conversation under its row lock, if the caller is its visitor (agent None) or its agent."""
    conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
    if conversation is None or (agent is not None and conversation.agent_id != agent.pk):
        raise errors.Forbidden()
    if not conversation.is_open:
        raise errors.ConversationClosed()
    return conversation


def _call_of(conversation: Conversation, call_id: int) -> Call:
    call = Call.objects.select_for_update().filter(pk=call_id, conversation_id=conversation.pk).first()
    if call is None:
        raise errors.Forbidden()  # another conversation's call, or none: say nothing more
    return call


def _announce(call: Call) -> None:
    frame = call_frame(call)
    events.send_on_commit(
        events.conversation_group(call.conversation_id),
        {"type": "call.state", "conversation": call.conversation_id, "frame": frame},
    )


def _say(conversation: Conversation, text_of) -> None:
    """A system line in the visitor's language (`text_of` translates when called)."""
    with translation.override(conversation.language):
        post_system_message(conversation, text_of())


def _line(call: Call, event: str, **values) -> str:
    """A whole translated sentence per kind and event (translators get no fragments)."""
    video = call.kind == CallKind.VIDEO
    texts = {
        "offered": _("%(name)s offered a video call.") if video else _("%(name)s offered a voice call."),
        "declined": _("The video call was declined.") if video else _("The voice call was declined."),
        "missed": (
            _("The video call ended before it connected.") if video else _("The voice call ended before it connected.")
        ),
        "ended": (
            _("The video call ended after %(duration)s.") if video else _("The voice call ended after %(duration)s.")
        ),
    }
    return texts[event] % values if values else texts[event]


def offer_call(*, conversation_id: int, agent: Agent, kind: str) -> Call:
    """The agent offers a call; the visitor's widget asks them to accept or decline."""
    with transaction.atomic():
        conversation = _locked(conversation_id, agent)
        if conversation.status != ConversationStatus.ACTIVE:
            raise errors.Forbidden()
        if Call.objects.filter(conversation=conversation, status__in=OPEN_CALL_STATUSES).exists():
            raise CallBusy()
        try:
            with transaction.atomic():
                call = Call.objects.create(conversation=conversation, agent=agent, kind=kind)
        except IntegrityError:
            raise CallBusy() from None  # a concurrent offer won (the open-call constraint)
        _say(conversation, lambda: _line(call, "offered", name=agent.display_name))
        _announce(call)
    return call


def answer_call(*, conversation_id: int, call_id: int, accept: bool) -> Call:
    """The visitor accepts or declines an offered call (the first answer of any of their tabs wins)."""
    with transaction.atomic():
        conversation = _locked(conversation_id, None)
        call = _call_of(conversation, call_id)
        if call.status != CallStatus.OFFERED:
            raise CallNotActive()
        call.answered_at = timezone.now()
        if accept:
            call.status = CallStatus.ACCEPTED
        else:
            call.status, call.ended_at, call.ended_by = CallStatus.DECLINED, call.answered_at, CallParty.VISITOR
            _say(conversation, lambda: _line(call, "declined"))
        call.save(update_fields=["status", "answered_at", "ended_at", "ended_by"])
        _announce(call)
    return call


def mark_connected(*, conversation_id: int, call_id: int, agent: Agent | None = None) -> Call:
    """A browser reports its peer connection connected; the first report starts the duration."""
    with transaction.atomic():
        conversation = _locked(conversation_id, agent)
        call = _call_of(conversation, call_id)
        if call.status == CallStatus.CONNECTED:
            return call
        if call.status != CallStatus.ACCEPTED:
            raise CallNotActive()
        call.status, call.connected_at = CallStatus.CONNECTED, timezone.now()
        call.save(update_fields=["status", "connected_at"])
        _announce(call)
    return call


def hang_up(*, conversation_id: int, call_id: int, agent: Agent | None = None) -> Call:
    """Either side ends the call (the agent may also withdraw an offer not yet answered)."""
    with transaction.atomic():
        conversation = _locked(conversation_id, agent)
        call = _call_of(conversation, call_id)
        if not call.is_open:
            return call  # already over: hanging up twice is harmless
        if call.status == CallStatus.OFFERED and agent is None:
            raise CallNotActive()  # the visitor declines an offer, they do not hang it up
        _end(conversation, call, CallParty.AGENT if agent else CallParty.VISITOR)
    return call


def _end(conversation: Conversation, call: Call, party: str) -> None:
    call.status, call.ended_at, call.ended_by = CallStatus.ENDED, timezone.now(), party
    call.save(update_fields=["status", "ended_at", "ended_by"])
    if call.duration_seconds is None:
        _say(conversation, lambda: _line(call, "missed"))
    else:
        _say(conversation, lambda: _line(call, "ended", duration=call.duration_display))
    _announce(call)


def check_signal(*, conversation_id: int, call_id: int, agent: Agent | None = None) -> None:
    """May this side relay SDP or ICE for this call now? (answered, not ended, chat open)"""
    conversation = Conversation.objects.filter(pk=conversation_id).only("agent_id", "status").first()
    if conversation is None or (agent is not None and conversation.agent_id != agent.pk):
        raise errors.Forbidden()
    if not conversation.is_open:
        raise errors.ConversationClosed()
    status = Call.objects.filter(pk=call_id, conversation_id=conversation_id).values_list("status", flat=True).first()
    if status is None:
        raise errors.Forbidden()
    if status not in (CallStatus.ACCEPTED, CallStatus.CONNECTED):
        raise CallNotActive()


def open_call_frame(*, conversation_id: int) -> dict | None:
    """The `call` frame of the conversation's open call, for a socket that (re)connects; None without one."""
    call = Call.objects.filter(conversation_id=conversation_id, status__in=OPEN_CALL_STATUSES).first()
    return call_frame(call) if call else None


def end_open_calls(conversation_id: int) -> None:
    """A closed chat ends its call (chats.receivers, on chats.signals.conversation_closed)."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            return
        for call in Call.objects.select_for_update().filter(conversation=conversation, status__in=OPEN_CALL_STATUSES):
            _end(conversation, call, CallParty.SYSTEM)
