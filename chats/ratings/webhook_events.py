"""The `data` of the `rating.created` webhook event (docs/webhooks.md), emitted through clients.webhooks."""

from __future__ import annotations

from chats.ratings.models import Rating
from clients.models import WebhookEventType
from clients.webhooks import services as webhooks


def rating_data(rating: Rating) -> dict:
    agent = rating.agent
    return {
        "rating": {
            "id": rating.pk,
            "conversation_id": rating.conversation_id,
            "scale": rating.scale,
            "score": rating.score,
            "comment": rating.comment,
            "created_at": rating.created_at,
            "agent": {"id": agent.pk, "name": agent.display_name} if agent else None,
        }
    }


def emit_rating_created(rating: Rating) -> None:
    """In the rating's transaction: the event exists only if the rating commits."""
    webhooks.emit_event(rating.client_id, WebhookEventType.RATING_CREATED, lambda: rating_data(rating))
