"""Reads across chats for people who watch the floor (supervisors)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from agency.models import Agent, Presence
from chats.models import OPEN_STATUSES, VISITOR_CONNECTED, Conversation, ConversationStatus, Message
from clients.models import Client

MAX_ACTIVE_LISTED = 200


def seconds_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def floor_snapshot(*, now: datetime | None = None) -> dict:
    """The live floor: per client its queue and active chats, every agent's presence and
    load, and the chats in progress (oldest first). Four queries."""
    now = now or timezone.now()
    return {
        "at": now.isoformat(),
        "clients": client_rows(now),
        "agents": agent_rows(now),
        "active_chats": active_rows(now),
    }


def client_rows(now: datetime) -> list[dict]:
    """Each client's line in the queue (connected visitors only) and its active chats."""
    open_counts = {
        (row["client_id"], row["status"]): row
        for row in Conversation.objects.filter(status__in=OPEN_STATUSES)
        .exclude(~VISITOR_CONNECTED, status=ConversationStatus.QUEUED)  # not in line until their socket comes
        .values("client_id", "status")
        .annotate(n=Count("pk"), oldest=Min("requested_at"))
        .order_by()
    }
    clients = []
    for client in Client.objects.order_by("name").values("pk", "name"):
        queued = open_counts.get((client["pk"], ConversationStatus.QUEUED), {})
        clients.append(
            {
                "id": client["pk"],
                "name": client["name"],
                "queued": queued.get("n", 0),
                "longest_wait_seconds": seconds_since(queued.get("oldest"), now),
                "active": open_counts.get((client["pk"], ConversationStatus.ACTIVE), {}).get("n", 0),
            }
        )
    return clients


def agent_rows(now: datetime) -> list[dict]:
    stale_before = now - timedelta(seconds=settings.CHAT_AGENT_STALE_SECONDS)
    return [
        {
            "id": agent.pk,
            "name": agent.display_name,
            "presence": agent.presence,
            "is_stale": agent.last_seen_at is None or agent.last_seen_at < stale_before,
            "active_chats": agent.active_chats,
            "max_chats": agent.max_concurrent_chats,
        }
        for agent in Agent.objects.select_related("user").order_by("user__first_name", "user__username")
    ]


def active_rows(now: datetime) -> list[dict]:
    return [
        {
            "id": conversation.pk,
            "client": conversation.client.name,
            "agent": conversation.agent.display_name if conversation.agent else None,
            "visitor": conversation.visitor.name,
            "seconds": seconds_since(conversation.assigned_at, now),
        }
        for conversation in Conversation.objects.filter(status=ConversationStatus.ACTIVE)
        .select_related("client", "agent__user", "visitor")
        .order_by("assigned_at", "pk")[:MAX_ACTIVE_LISTED]
    ]


def speaking(agents, language: str):
    """The agents of a queryset who speak `language`."""
    return agents.filter(languages__iregex=rf"(^|,)\s*{re.escape(language)}\s*(,|$)")


def serving_agents(client_id: int, language: str = ""):
    """Agents serving the client now: online, console alive, speaking `language` (when given)."""
    fresh_since = timezone.now() - timedelta(seconds=settings.CHAT_AGENT_STALE_SECONDS)
    agents = Agent.objects.filter(clients=client_id, presence=Presence.ONLINE, last_seen_at__gte=fresh_since)
    return speaking(agents, language) if language else agents


def has_served(conversation: Conversation, agent: Agent) -> bool:
    """The conversation's agent, or an agent who wrote in it (before a transfer or a take-over): who may
    still act on it (escalate, note feedback, tag)."""
    return (
        conversation.agent_id == agent.pk
        or Message.objects.filter(conversation_id=conversation.pk, author_id=agent.user_id).exists()
    )
