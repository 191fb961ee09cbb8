"""The console's reads of ended chats: an agent's recent chats, each with its escalations and the
client's answers (the "recent chats" list, which a reload finds again). One of them is read whole
through chats.history (served_chat_history), the one rule of which chats an agent may read."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from agency.models import Agent
from chats.agent_presence import conversation_payload
from chats.history import readable_chats
from chats.models import Conversation, ConversationStatus
from chats.protocol import iso
from reports.escalations.serializers import ConsoleEscalationSerializer
from reports.models import Escalation

RECENT_CHATS_LISTED = 30
RECENT_CHATS_DAYS = 14


def with_escalations(conversations):
    return conversations.select_related("client", "visitor").prefetch_related(
        Prefetch("escalations", queryset=Escalation.objects.order_by("created_at"))
    )


def recent_chats_of(*, agent: Agent, user) -> list[Conversation]:
    """The agent's chats that ended in the last RECENT_CHATS_DAYS days, newest first: the ones they
    ended with and the ones they escalated from, of the clients they still serve."""
    theirs = Q(agent=agent) | Q(pk__in=Escalation.objects.filter(agent=agent).values("conversation_id"))
    since = timezone.now() - timedelta(days=RECENT_CHATS_DAYS)
    return list(
        with_escalations(
            readable_chats(user).filter(theirs, status=ConversationStatus.CLOSED, closed_at__gte=since)
        ).order_by("-closed_at", "-pk")[:RECENT_CHATS_LISTED]
    )


def recent_chat_payload(conversation: Conversation) -> dict:
    """The `assigned` conversation object, with when it ended and its escalations (oldest first)."""
    return {
        **conversation_payload(conversation),
        "closed_at": iso(conversation.closed_at),
        "escalations": [ConsoleEscalationSerializer(e).data for e in conversation.escalations.all()],
    }
