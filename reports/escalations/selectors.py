"""The console's reads of ended chats: an agent's recent chats, each with its escalations and the
client's answers (the "recent chats" list, which a reload finds again), and one of them read-only."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from agency.models import Agent
from chats import errors
from chats import selectors as chat_selectors
from chats.agent_presence import conversation_payload
from chats.models import Conversation, ConversationStatus
from chats.protocol import iso
from chats.transcript import message_frames_after
from clients.selectors import clients_visible_to
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
            Conversation.objects.filter(
                theirs,
                status=ConversationStatus.CLOSED,
                closed_at__gte=since,
                client__in=clients_visible_to(user).values("pk"),
            )
        ).order_by("-closed_at", "-pk")[:RECENT_CHATS_LISTED]
    )


def served_chat(*, agent: Agent, user, conversation_id: int) -> Conversation:
    """A chat the agent served (chats.selectors.has_served) of a client they still serve; else refused."""
    conversation = with_escalations(Conversation.objects.filter(pk=conversation_id)).first()
    if conversation is None:
        raise errors.NotFound()
    if (
        not chat_selectors.has_served(conversation, agent)
        or not clients_visible_to(user).filter(pk=conversation.client_id).exists()
    ):
        raise errors.Forbidden()
    return conversation


def recent_chat_payload(conversation: Conversation) -> dict:
    """The `assigned` conversation object, with when it ended and its escalations (oldest first)."""
    return {
        **conversation_payload(conversation),
        "closed_at": iso(conversation.closed_at),
        "escalations": [ConsoleEscalationSerializer(e).data for e in conversation.escalations.all()],
    }


def chat_history(conversation: Conversation) -> list[dict]:
    """Every message of the chat as `message` frames, internal notes included (agents read them)."""
    return message_frames_after(conversation_id=conversation.pk, after=0, limit=max(conversation.last_seq, 1))
