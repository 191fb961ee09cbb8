"""Supervisors on the floor: watch any open chat live (monitor), write internal notes to its
agent (whisper) and take it over. Agency-wide users only (clients.selectors, the tenant rule)."""

from __future__ import annotations

import uuid

from django.db import transaction

from agency.models import Agent, Presence
from chats import errors
from chats.agent_presence import agent_for_user, conversation_payload
from chats.models import Conversation, SenderKind
from chats.teamwork.transfers import take_over_conversation
from chats.writer import MessageRequest, PostedMessage, write_message
from clients.selectors import clients_visible_to, is_agency_wide


def supervised_conversation(*, user, conversation_id: int) -> Conversation:
    """The open conversation a supervisor may act on; anyone else (or another id) is refused alike."""
    if not is_agency_wide(user):
        raise errors.Forbidden()
    conversation = (
        Conversation.objects.select_related("client", "visitor", "agent__user")
        .filter(pk=conversation_id, client__in=clients_visible_to(user).values("pk"))
        .first()
    )
    if conversation is None:
        raise errors.Forbidden()
    if not conversation.is_open:
        raise errors.ConversationClosed()
    return conversation


def start_monitoring(*, user, conversation_id: int) -> dict:
    """The `monitoring` frame's conversation: the `assigned` payload and its agent's name."""
    conversation = supervised_conversation(user=user, conversation_id=conversation_id)
    return {
        **conversation_payload(conversation),
        "agent": {"name": conversation.agent.display_name} if conversation.agent else None,
    }


def whisper(*, user, conversation_id: int, body: str, client_id: uuid.UUID | None) -> PostedMessage:
    """An internal note from the supervisor to the chat's agent (chats.writer: the next seq, card
    numbers masked as in any message, split ones included), never shown to the visitor; once per
    `client_id`."""
    supervised_conversation(user=user, conversation_id=conversation_id)
    return write_message(
        MessageRequest(
            conversation_id=conversation_id,
            sender=SenderKind.AGENT,
            body=body,
            client_id=client_id,
            internal=True,
            author=user,
        )
    )


def take_over(*, user, conversation_id: int) -> None:
    """The supervisor becomes the chat's agent (their console then carries it) and serves its client
    from then on, so the console's briefing, canned replies, tags, lead card and transfer work for them."""
    conversation = supervised_conversation(user=user, conversation_id=conversation_id)
    agent = supervisor_agent(user)
    with transaction.atomic():
        agent.clients.add(conversation.client_id)
        take_over_conversation(conversation_id=conversation_id, agent=agent)


def supervisor_agent(user) -> Agent:
    """The supervisor's agent profile, created the first time they take a chat over: offline, so
    routing gives them no chat until they set themselves online; their slots are the default."""
    agent = agent_for_user(user)
    if agent is None:
        agent, _created = Agent.objects.get_or_create(user=user, defaults={"presence": Presence.OFFLINE})
    return agent
