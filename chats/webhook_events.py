"""The `data` of chats' webhook events (docs/webhooks.md), emitted through clients.webhooks."""

from __future__ import annotations

from chats.models import Conversation
from clients.models import WebhookEventType
from clients.webhooks import services as webhooks


def conversation_data(conversation: Conversation) -> dict:
    visitor, agent = conversation.visitor, conversation.agent
    return {
        "conversation": {
            "id": conversation.pk,
            "status": conversation.status,
            "language": conversation.language,
            "page_url": conversation.page_url,
            "requested_at": conversation.requested_at,
            "assigned_at": conversation.assigned_at,
            "first_response_at": conversation.first_response_at,
            "closed_at": conversation.closed_at,
            "message_count": conversation.last_seq,
            "visitor": {"name": visitor.name, "email": visitor.email},
            "agent": {"id": agent.pk, "name": agent.display_name} if agent else None,
        }
    }


def emit_conversation_closed(conversation: Conversation) -> None:
    """In the closing transaction: the event exists only if the close commits."""
    webhooks.emit_event(
        conversation.client_id, WebhookEventType.CONVERSATION_CLOSED, lambda: conversation_data(conversation)
    )
