"""A visitor's socket: its handshake, the visitor counted as there (which routes a new chat), its
heartbeat and its end (which starts the abandonment clock)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from chats import assignment, errors, protocol, waiting
from chats.models import Conversation, ConversationStatus
from clients.widget_access import check_widget_origin
from core import limits


@dataclass(frozen=True, slots=True)
class VisitorSession:
    """What a visitor socket needs to know when it opens."""

    conversation_id: int
    client_id: int
    last_seq: int


def open_visitor_session(*, conversation_id: int, token: str | None, origin: str | None) -> VisitorSession:
    """Check a visitor socket's token and Origin (raise Forbidden/NotFound/OriginNotAllowed),
    then count the visitor as there (`connect_visitor`).

    The status is not part of the session: the socket reads it (`visitor_state`)
    after joining the conversation's group, so a change in between is not lost.
    """
    conversation = Conversation.objects.select_related("client").filter(pk=conversation_id).first()
    if conversation is None:
        raise errors.NotFound()
    if not conversation.token_matches(token):
        raise errors.Forbidden()
    check_widget_origin(conversation.client, origin)
    if not limits.open_socket(f"conversation:{conversation_id}", limit=settings.CHAT_MAX_SOCKETS_PER_CONVERSATION):
        raise errors.RateLimited(60, _("Too many open chat windows for this conversation."))
    try:
        connect_visitor(conversation_id=conversation_id)
    except errors.NotFound:
        limits.close_socket(f"conversation:{conversation_id}")
        raise
    return VisitorSession(
        conversation_id=conversation.pk,
        client_id=conversation.client_id,
        last_seq=conversation.last_seq,
    )


def connect_visitor(*, conversation_id: int) -> None:
    """A visitor socket is there. The first time, the chat joins the line and is routed
    (a free agent takes it, or it waits, and whoever it passed hears their new place);
    raise NotFound if it was dropped meanwhile as never connected."""
    now = timezone.now()
    first_time = Conversation.objects.filter(pk=conversation_id, visitor_connected_at__isnull=True).update(
        visitor_connected_at=now, visitor_last_seen_at=now
    )
    if not first_time:
        if not Conversation.objects.filter(pk=conversation_id).update(visitor_last_seen_at=now):
            raise errors.NotFound()
        return
    conversation = Conversation.objects.get(pk=conversation_id)
    if conversation.status != ConversationStatus.QUEUED:
        return
    assignment.assign_next_in_queue(client_id=conversation.client_id)
    conversation.refresh_from_db(fields=["status"])
    if conversation.status == ConversationStatus.QUEUED and assignment.has_anyone_behind(conversation):
        assignment.announce_queue_positions(client_id=conversation.client_id)


@dataclass(frozen=True, slots=True)
class VisitorState:
    """What a visitor socket checks against what it has sent: the newest seq and the status."""

    last_seq: int
    status_frame: dict


def visitor_state(*, conversation_id: int) -> VisitorState:
    """The conversation's last seq and its current `status` frame (agent name, place in line)."""
    conversation = Conversation.objects.select_related("agent__user", "client").filter(pk=conversation_id).first()
    if conversation is None:  # deleted (the client's retention, an erasure): nothing more to say
        return VisitorState(
            last_seq=0,
            status_frame=protocol.status_frame(conversation_id=conversation_id, status=ConversationStatus.CLOSED),
        )
    position = assignment.queue_position(conversation)
    return VisitorState(
        last_seq=conversation.last_seq,
        status_frame=protocol.status_frame(
            conversation_id=conversation.pk,
            status=conversation.status,
            queue_position=position,
            agent_name=conversation.agent.display_name if conversation.agent else None,
            outlook=waiting.outlook_of(conversation, position),
        ),
    )


def visitor_heartbeat(*, conversation_id: int) -> VisitorState:
    """Mark the visitor alive; return the last seq and status so the socket can heal what
    a lost doorbell left behind."""
    touch_visitor(conversation_id=conversation_id)
    return visitor_state(conversation_id=conversation_id)


def touch_visitor(*, conversation_id: int) -> None:
    """A visitor socket is alive: a queued chat is not abandoned."""
    Conversation.objects.filter(pk=conversation_id).update(visitor_last_seen_at=timezone.now())


def close_visitor_session(*, conversation_id: int) -> None:
    """A visitor socket closed: free its place and start the abandonment clock."""
    limits.close_socket(f"conversation:{conversation_id}")
    touch_visitor(conversation_id=conversation_id)
