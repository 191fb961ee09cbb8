"""An agent's console: presence, liveness and the chats it carries (the agent socket's services)."""

from __future__ import annotations

from django.utils import timezone

from agency.models import Agent, Presence
from chats import assignment, errors, events, protocol
from chats.models import Conversation, ConversationStatus


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


def agent_for_user(user) -> Agent | None:
    if not user or not user.is_authenticated:
        return None
    return Agent.objects.select_related("user").filter(user=user).first()


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
