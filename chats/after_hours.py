"""When a client's coverage ends: queued visitors are told, open chats carry on.

Active chats are never cut off by coverage closing; only chats still waiting
in the queue are marked missed, and their visitors get an `offline` status
frame with the next opening.
"""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from chats import events, protocol, services
from chats.models import VISITOR_CONNECTED, Conversation, ConversationStatus
from clients import coverage
from clients.models import Client


def close_queues_outside_coverage(*, now: datetime | None = None) -> int:
    """Mark as missed the queued chats of clients not covered now; return how many."""
    now = now or timezone.now()
    queued = Conversation.objects.filter(VISITOR_CONNECTED, status=ConversationStatus.QUEUED)  # ghosts: no one to tell
    closed = 0
    for client in Client.objects.filter(pk__in=queued.values("client_id")):
        is_open, opening = coverage.opening_status(client, now)
        if is_open:
            continue
        for conversation_id in list(queued.filter(client=client).values_list("pk", flat=True)):
            closed += tell_visitor_we_are_offline(conversation_id=conversation_id, next_opening=opening)
    return closed


def tell_visitor_we_are_offline(*, conversation_id: int, next_opening: datetime | None) -> bool:
    """Mark one queued chat missed and announce `offline`; False if it was no longer queued."""
    with transaction.atomic():
        if not services.mark_missed(conversation_id=conversation_id):
            return False
        events.announce_status(conversation_id, protocol.status_frame(
            conversation_id=conversation_id, status=protocol.OFFLINE, next_opening=next_opening,
        ))
    return True
