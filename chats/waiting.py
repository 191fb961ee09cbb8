"""The honest queue: how long a queued visitor will likely wait, and when to offer a message instead.

Estimated wait (seconds) = ceil(position × H / S), where
  H = the client's recent handle time: the mean of (closed − assigned) over its last
      CHAT_WAIT_HANDLE_SAMPLE chats closed by an agent in the past 7 days
      (CHAT_WAIT_DEFAULT_HANDLE_SECONDS while it has none), and
  S = the chat slots (max concurrent chats) of the agents serving the client who are
      online with a live console now.
With nobody online (S = 0) there is no estimate (null) and a message is offered at once;
otherwise it is offered once the visitor has waited the client's `max_queue_wait_seconds`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, F, Sum
from django.utils import timezone

from chats import selectors
from chats.models import Conversation, ConversationStatus
from clients.models import Client


@dataclass(frozen=True, slots=True)
class ClientQueueFigures:
    handle_seconds: float
    serving_slots: int
    max_wait_seconds: int


@dataclass(frozen=True, slots=True)
class QueueOutlook:
    estimated_wait_seconds: int | None
    leave_message_offered: bool
    offer_in_seconds: int | None = None  # until the offer, while it is still to come


def recent_handle_seconds(client_id: int) -> float:
    since = timezone.now() - timedelta(days=7)
    recent = (
        Conversation.objects.filter(
            client_id=client_id, status=ConversationStatus.CLOSED, closed_at__gte=since, assigned_at__isnull=False
        )
        .order_by("-closed_at")
        .values("pk")[: settings.CHAT_WAIT_HANDLE_SAMPLE]
    )
    mean = Conversation.objects.filter(pk__in=recent).aggregate(  # one statement: the sample is a subquery
        mean=Avg(F("closed_at") - F("assigned_at"))
    )["mean"]
    return mean.total_seconds() if mean else float(settings.CHAT_WAIT_DEFAULT_HANDLE_SECONDS)


def serving_slots(client_id: int, language: str = "") -> int:
    """The chat slots of the agents who could take this client's chats now (routing's rule)."""
    slots = selectors.serving_agents(client_id, language)
    return slots.aggregate(total=Sum("max_concurrent_chats"))["total"] or 0


def client_queue_figures(client: Client) -> ClientQueueFigures:
    """Read once per client (two statements), then `outlook` for each place in line."""
    return ClientQueueFigures(
        handle_seconds=recent_handle_seconds(client.pk),
        serving_slots=serving_slots(client.pk, client.required_language),
        max_wait_seconds=client.max_queue_wait_seconds,
    )


def outlook(figures: ClientQueueFigures, *, position: int, waiting_since: datetime | None) -> QueueOutlook:
    if figures.serving_slots <= 0:
        return QueueOutlook(estimated_wait_seconds=None, leave_message_offered=True)
    estimate = math.ceil(position * figures.handle_seconds / figures.serving_slots)
    waited = (timezone.now() - waiting_since).total_seconds() if waiting_since else 0
    offered = waited >= figures.max_wait_seconds
    return QueueOutlook(
        estimated_wait_seconds=estimate,
        leave_message_offered=offered,
        offer_in_seconds=None if offered else math.ceil(figures.max_wait_seconds - waited),
    )


def outlook_of(conversation: Conversation, position: int) -> QueueOutlook | None:
    """A queued conversation's outlook; None for any other status."""
    if conversation.status != ConversationStatus.QUEUED or position <= 0:
        return None
    return outlook(
        client_queue_figures(conversation.client),
        position=position,
        waiting_since=conversation.visitor_connected_at or conversation.requested_at,
    )
