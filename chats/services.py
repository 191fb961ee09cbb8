"""Writes of the chat domain: start a conversation, post a message, close, presence.

Each function does its writes in one transaction and rings the doorbells
(chats.events) only after it commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.models import Agent, Presence
from chats import assignment, errors, events, protocol, signals, waiting, webhook_events, writer
from chats.models import VISITOR_CONNECTED, Conversation, ConversationStatus, Visitor
from chats.writer import (
    MessageRequest,
    PostedMessage,
    post_system_message,
)
from clients import coverage
from clients.models import Client
from clients.pci import mask_url
from clients.text import checked_email, checked_name, has_unprintable
from clients.widget_access import check_widget_origin
from core import limits


@dataclass(frozen=True, slots=True)
class StartedConversation:
    conversation: Conversation
    token: str
    queue_position: int


@dataclass(frozen=True, slots=True)
class ClientOffline:
    """The client is not covered now: nothing was created."""

    next_opening: datetime | None


def start_conversation(
    *,
    client: Client,
    name: str = "",
    email: str = "",
    page_url: str = "",
    language: str = "",
    visitor_connected: bool = False,
) -> StartedConversation | ClientOffline:
    """Create a visitor's conversation; outside the client's coverage create nothing and
    say when it opens.

    The chat is routed (to a free agent or the queue) when the visitor's socket
    connects (`connect_visitor`); one whose socket never comes is dropped by
    `sweep_unconnected_conversations`. `visitor_connected` routes it at once, for a
    caller that has the visitor there already.
    """
    now = timezone.now()
    is_open, opening = coverage.opening_status(client, now)
    if not is_open:
        return ClientOffline(next_opening=opening)
    name, email = checked_name(name, model=Visitor), checked_email(email)
    page_url = page_url.strip()
    if len(page_url) > 500 or has_unprintable(page_url, multiline=False):
        page_url = ""  # the widget's own note of where the visitor was: never worth refusing the chat
    page_url = mask_url(page_url)
    with transaction.atomic():
        conversation, token = create_conversation(
            client_id=client.pk,
            name=name,
            email=email,
            page_url=page_url,
            language=language,
            now=now,
            visitor_connected_at=now if visitor_connected else None,
        )
        conversation.client = client  # spares its callers a query
        if visitor_connected:
            assignment.assign_next_in_queue(client_id=client.pk)
    if visitor_connected:
        conversation.refresh_from_db()  # routing may have made it active
    position = assignment.queue_position(conversation)
    return StartedConversation(conversation=conversation, token=token, queue_position=position)


def create_conversation(
    *,
    client_id: int,
    name: str,
    email: str,
    page_url: str,
    language: str,
    now: datetime,
    agent: Agent | None = None,
    visitor_connected_at: datetime | None = None,
) -> tuple[Conversation, str]:
    """A new visitor and their conversation, with the checked details, in the caller's transaction: queued,
    or already `agent`'s (whose slot the caller claimed). The conversation and the visitor's token."""
    token, token_hash = Conversation.new_token()
    visitor = Visitor.objects.create(client_id=client_id, name=name, email=email)
    conversation = Conversation.objects.create(
        client_id=client_id,
        visitor=visitor,
        token_hash=token_hash,
        page_url=page_url,
        language=language or settings.LANGUAGE_CODE,
        visitor_last_seen_at=now,
        visitor_connected_at=visitor_connected_at,
        agent=agent,
        assigned_at=now if agent else None,
        status=ConversationStatus.ACTIVE if agent else ConversationStatus.QUEUED,
    )
    return conversation, token


def check_visitor_floods(*, address: str, widget_key: str, action: str, per_ip: int, per_widget: int) -> None:
    """Raise RateLimited when this address or this widget did `action` too often this hour (core.limits,
    shared by all processes): the widget's HTTP endpoints and the visit socket count the same way."""
    limits.check_hourly([(f"{action}:ip:{address}", per_ip), (f"{action}:widget:{widget_key}", per_widget)])


def check_new_chat_floods(*, address: str, widget_key: str) -> None:
    """Every way a visitor opens a chat (the widget's POST, an accepted invitation) counts here."""
    check_visitor_floods(
        address=address,
        widget_key=widget_key,
        action="conversations",
        per_ip=settings.CHAT_CONVERSATIONS_PER_IP_PER_HOUR,
        per_widget=settings.CHAT_CONVERSATIONS_PER_WIDGET_PER_HOUR,
    )


def post_message(**fields) -> PostedMessage:
    """`chats.writer.write_message` of a `MessageRequest` with these fields (conversation_id, sender,
    body, client_id, agent, internal): store a visitor's or agent's message once per client_id."""
    return writer.write_message(MessageRequest(**fields))


def locked_conversation(conversation_id: int) -> Conversation:
    """The conversation under a row lock; an unknown id is refused like another's."""
    conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
    if conversation is None:
        raise errors.Forbidden()
    return conversation


def close_conversation(*, conversation_id: int, agent: Agent | None = None) -> None:
    """End a conversation (by its agent, or by the system when `agent` is None); idempotent."""
    with transaction.atomic():
        conversation = locked_conversation(conversation_id)
        if agent is not None and conversation.agent_id != agent.pk:
            raise errors.Forbidden()
        if not conversation.is_open:
            return
        _close(conversation)


def _close(conversation: Conversation) -> None:
    """Say goodbye and close; the caller holds the row lock of an open conversation."""
    with translation.override(conversation.language):
        post_system_message(conversation, _("The chat has ended."))
    _finish(conversation, ConversationStatus.CLOSED)
    events.announce_closed(conversation.pk)
    webhook_events.emit_conversation_closed(conversation)


def close_idle_conversation(*, conversation_id: int, cutoff: datetime) -> bool:
    """Close an active chat whose visitor has had no socket since `cutoff`; True if it did."""
    with transaction.atomic():
        conversation = locked_conversation(conversation_id)
        if conversation.status != ConversationStatus.ACTIVE or not (
            conversation.visitor_last_seen_at and conversation.visitor_last_seen_at < cutoff
        ):
            return False
        _close(conversation)
    return True


def mark_missed(*, conversation_id: int) -> bool:
    """A queued visitor left before an agent took the chat; True if it was still queued."""
    missed = mark_missed_in_batch(conversation_ids=[conversation_id])
    announce_queues_after_commit(set(missed.values()))
    return bool(missed)


def mark_missed_in_batch(*, conversation_ids: list[int]) -> dict[int, int]:
    """Mark missed those of the chats that are still queued, in one transaction and a few
    queries whatever their number; {conversation id: client id} of those marked. The places in
    line of the clients' other visitors are the caller's to announce, once per client."""
    now = timezone.now()
    with transaction.atomic():
        queued = list(
            Conversation.objects.select_for_update(of=("self",))
            .select_related("visitor")
            .filter(pk__in=conversation_ids, status=ConversationStatus.QUEUED)
            .order_by("pk")
        )
        if not queued:
            return {}
        Conversation.objects.filter(pk__in=[c.pk for c in queued]).update(
            status=ConversationStatus.MISSED, closed_at=now
        )
        for conversation in queued:
            conversation.status, conversation.closed_at = ConversationStatus.MISSED, now
            events.announce_status(
                conversation.pk,
                protocol.status_frame(conversation_id=conversation.pk, status=ConversationStatus.MISSED),
                floor=False,
            )
        events.send_on_commit(events.FLOOR_GROUP, {"type": "floor.changed"})
        signals.conversations_missed.send(sender=Conversation, conversations=queued)
    return {conversation.pk: conversation.client_id for conversation in queued}


def announce_queues_after_commit(client_ids: set[int]) -> None:
    """Once committed, tell each client's queued visitors their place in line (once per client)."""
    for client_id in sorted(client_ids):
        transaction.on_commit(partial(assignment.announce_queue_positions, client_id=client_id))


def _finish(conversation: Conversation, status: str) -> None:
    """Close the books on an open conversation and free its agent's slot."""
    was_active = conversation.status == ConversationStatus.ACTIVE
    conversation.status = status
    conversation.closed_at = timezone.now()
    conversation.save(update_fields=["status", "closed_at"])
    events.announce_status(conversation.pk, protocol.status_frame(conversation_id=conversation.pk, status=status))
    if was_active and conversation.agent_id:
        assignment.release_slot(conversation.agent_id)
    else:
        transaction.on_commit(lambda: assignment.announce_queue_positions(client_id=conversation.client_id))


def set_presence(*, agent: Agent, presence: str) -> None:
    """Change an agent's presence; coming online drains the queues of their clients."""
    if presence not in Presence.values:
        raise errors.BadFrame()
    now = timezone.now()
    Agent.objects.filter(pk=agent.pk).update(presence=presence, last_seen_at=now)
    agent.presence, agent.last_seen_at = presence, now
    events.announce_presence(agent.pk, presence)
    if presence == Presence.ONLINE:
        assignment.drain_queues_for_agent(agent_id=agent.pk)


def touch_agent(*, agent_id: int) -> None:
    """The console is alive (connect and heartbeat): keep the agent routable."""
    Agent.objects.filter(pk=agent_id).update(last_seen_at=timezone.now())


def close_visitor_session(*, conversation_id: int) -> None:
    """A visitor socket closed: free its place and start the abandonment clock."""
    limits.close_socket(f"conversation:{conversation_id}")
    touch_visitor(conversation_id=conversation_id)


def touch_visitor(*, conversation_id: int) -> None:
    """A visitor socket is alive: a queued chat is not abandoned."""
    Conversation.objects.filter(pk=conversation_id).update(visitor_last_seen_at=timezone.now())


def sweep_abandoned_conversations() -> int:
    """Mark as missed the queued chats whose visitor has had no socket for a while
    (chats never connected are not missed chats: `sweep_unconnected_conversations`)."""
    cutoff = timezone.now() - timedelta(seconds=settings.CHAT_VISITOR_ABANDON_SECONDS)
    stale = list(
        Conversation.objects.filter(
            VISITOR_CONNECTED, status=ConversationStatus.QUEUED, visitor_last_seen_at__lt=cutoff
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    clients: set[int] = set()
    missed = 0
    for start in range(0, len(stale), settings.CHAT_SWEEP_BATCH):
        marked = mark_missed_in_batch(conversation_ids=stale[start : start + settings.CHAT_SWEEP_BATCH])
        missed += len(marked)
        clients.update(marked.values())
    announce_queues_after_commit(clients)
    return missed


def sweep_unconnected_conversations() -> int:
    """Delete, with their visitors, the chats whose socket never connected within
    CHAT_VISITOR_CONNECT_SECONDS of being created: nobody was there, so they are
    neither missed chats nor anyone's place in line."""
    cutoff = timezone.now() - timedelta(seconds=settings.CHAT_VISITOR_CONNECT_SECONDS)
    ghosts = list(
        Conversation.objects.filter(
            status=ConversationStatus.QUEUED, visitor_connected_at__isnull=True, requested_at__lt=cutoff
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(
        drop_unconnected_conversations(conversation_ids=ghosts[start : start + settings.CHAT_SWEEP_BATCH])
        for start in range(0, len(ghosts), settings.CHAT_SWEEP_BATCH)
    )


def drop_unconnected_conversation(*, conversation_id: int) -> bool:
    """Delete a chat (and its visitor) if its socket has still never connected; True if it did."""
    return drop_unconnected_conversations(conversation_ids=[conversation_id]) == 1


def drop_unconnected_conversations(*, conversation_ids: list[int]) -> int:
    """Delete those of the chats (and their visitors) whose socket has still never connected; how many.

    The row locks make a socket connecting at the same moment either win (the
    chat stays) or find nothing (its handshake is refused).
    """
    with transaction.atomic():
        visitor_ids = list(
            Conversation.objects.select_for_update()
            .filter(
                pk__in=conversation_ids,
                status=ConversationStatus.QUEUED,
                visitor_connected_at__isnull=True,
            )
            .order_by("pk")
            .values_list("visitor_id", flat=True)
        )
        if visitor_ids:
            Visitor.objects.filter(pk__in=visitor_ids).delete()  # cascades to the conversations
    return len(visitor_ids)


def sweep_idle_conversations() -> int:
    """Close the active chats whose visitor left (no socket for CHAT_VISITOR_IDLE_CLOSE_SECONDS)."""
    cutoff = timezone.now() - timedelta(seconds=settings.CHAT_VISITOR_IDLE_CLOSE_SECONDS)
    idle = Conversation.objects.filter(status=ConversationStatus.ACTIVE, visitor_last_seen_at__lt=cutoff).values_list(
        "pk", flat=True
    )
    return sum(close_idle_conversation(conversation_id=pk, cutoff=cutoff) for pk in list(idle))


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


def conversation_payload(conversation: Conversation) -> dict:
    """The conversation object of the agents' `assigned` frame."""
    return {
        "id": conversation.pk,
        "status": conversation.status,
        "client": {"id": conversation.client_id, "name": conversation.client.name, "slug": conversation.client.slug},
        "visitor": {"name": conversation.visitor.name, "email": conversation.visitor.email},
        "page_url": conversation.page_url,
        "requested_at": protocol.iso(conversation.requested_at),
        "assigned_at": protocol.iso(conversation.assigned_at),
        "last_seq": conversation.last_seq,
    }


def open_conversations_of(*, agent_id: int, conversation_id: int | None = None) -> list[dict]:
    """The agent's active conversations (or just one of them) as `assigned` payloads."""
    conversations = (
        Conversation.objects.filter(agent_id=agent_id, status=ConversationStatus.ACTIVE)
        .select_related("client", "visitor")
        .order_by("assigned_at")
    )
    if conversation_id is not None:
        conversations = conversations.filter(pk=conversation_id)
    return [conversation_payload(conversation) for conversation in conversations]


def agent_for_user(user) -> Agent | None:
    if not user or not user.is_authenticated:
        return None
    return Agent.objects.select_related("user").filter(user=user).first()


def visitor_heartbeat(*, conversation_id: int) -> VisitorState:
    """Mark the visitor alive; return the last seq and status so the socket can heal what
    a lost doorbell left behind."""
    touch_visitor(conversation_id=conversation_id)
    return visitor_state(conversation_id=conversation_id)


def agent_heartbeat(*, agent_id: int) -> dict[int, int]:
    """Mark the console alive; return {conversation id: last seq} of the agent's active chats."""
    touch_agent(agent_id=agent_id)
    return dict(
        Conversation.objects.filter(agent_id=agent_id, status=ConversationStatus.ACTIVE).values_list("pk", "last_seq")
    )


def agent_came_online(*, agent_id: int) -> list[dict]:
    """A console connected: mark it alive, serve waiting queues if online, list open chats."""
    touch_agent(agent_id=agent_id)
    if Agent.objects.filter(pk=agent_id, presence=Presence.ONLINE).exists():
        assignment.drain_queues_for_agent(agent_id=agent_id)
    return open_conversations_of(agent_id=agent_id)
