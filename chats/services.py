"""Writes of a conversation's life: start it, post a message, close it, mark it missed, and the
sweeps that close or drop the chats nobody is in any more. The sockets' side is in
chats.visitor_presence (a visitor there or gone) and chats.agent_presence (an agent's console).

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

from agency.models import Agent
from chats import assignment, errors, events, protocol, signals, webhook_events, writer
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
    with transaction.atomic():
        conversation, token = create_conversation(
            client_id=client.pk,
            name=checked_name(name, model=Visitor),
            email=checked_email(email),
            page_url=kept_page_url(page_url),
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


def kept_page_url(page_url: str) -> str:
    """The widget's own note of where the visitor was, card numbers masked: never worth refusing
    the chat, so an overlong or unprintable one is dropped."""
    page_url = page_url.strip()
    if len(page_url) > 500 or has_unprintable(page_url, multiline=False):
        return ""
    return mask_url(page_url)


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
