"""When a client's coverage ends: queued visitors are told, open chats carry on.

Active chats are never cut off by coverage closing; only chats still waiting
in the queue are marked missed, and their visitors get an `offline` status
frame with the next opening.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
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
        waiting = list(queued.filter(client=client).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(waiting), settings.CHAT_SWEEP_BATCH):
            closed += tell_visitors_we_are_offline(
                conversation_ids=waiting[start : start + settings.CHAT_SWEEP_BATCH], next_opening=opening
            )
    return closed


def tell_visitors_we_are_offline(*, conversation_ids: list[int], next_opening: datetime | None) -> int:
    """Mark the chats that are still queued missed and announce `offline` to each; how many.
    Their whole queue closes, so no place in line is left to announce."""
    with transaction.atomic():
        missed = services.mark_missed_in_batch(conversation_ids=conversation_ids)
        for conversation_id in missed:
            events.announce_status(
                conversation_id,
                protocol.status_frame(
                    conversation_id=conversation_id,
                    status=protocol.OFFLINE,
                    next_opening=next_opening,
                ),
                floor=False,
            )
    return len(missed)
