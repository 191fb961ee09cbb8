"""Recording a visitor's rating: validated, masked, stored once, then announced after the commit.

`chats.ratings.signals.rating_created` is how other apps learn of a rating without chats
importing them: it is sent with the rating's id once the rating is committed.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chats import events, protocol
from chats.models import Conversation, ConversationStatus
from chats.ratings import signals, webhook_events
from chats.ratings.errors import AlreadyRated, NotRateable
from chats.ratings.models import Rating
from chats.services import locked_conversation
from clients import pci, text
from clients.models import QualitySettings
from core.errors import InvalidInput

RATEABLE_STATUSES = (ConversationStatus.ACTIVE, ConversationStatus.CLOSED)


def checked_comment(comment: str) -> str:
    """A rating's (or survey answer's) comment: clients.text's rule for a message, card numbers masked."""
    return pci.mask_card_numbers(text.checked_body(comment, field=_("comment")).strip())[0]


def rate_conversation(*, conversation_id: int, score: int, comment: str = "") -> Rating:
    """Store the visitor's rating of a chat an agent took (active or ended), once.

    Raises InvalidInput (score off the client's scale, bad comment), NotRateable (no
    agent ever took the chat) or AlreadyRated. After the commit the agent's console gets
    a `rating` frame and `signals.rating_created` is sent with the id."""
    comment = checked_comment(comment)
    with transaction.atomic():
        conversation = locked_conversation(conversation_id)
        if conversation.status not in RATEABLE_STATUSES or conversation.agent_id is None:
            raise NotRateable()
        scale = QualitySettings.for_client(conversation.client_id)
        if score not in scale.scores:
            raise InvalidInput(
                _("The score must be between %(low)s and %(high)s.")
                % {"low": scale.scores[0], "high": scale.scores[-1]}
            )
        if Rating.objects.filter(conversation_id=conversation.pk).exists():
            raise AlreadyRated()
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    conversation=conversation,
                    client_id=conversation.client_id,
                    agent_id=conversation.agent_id,
                    scale=scale.rating_scale,
                    score=score,
                    comment=comment,
                )
        except IntegrityError:
            raise AlreadyRated() from None
        announce_rating(conversation, rating)
    return rating


def rating_frame(rating: Rating) -> dict:
    return {
        "type": "rating",
        "conversation": rating.conversation_id,
        "score": rating.score,
        "scale": rating.scale,
        "comment": rating.comment,
        "at": protocol.iso(rating.created_at),
    }


def announce_rating(conversation: Conversation, rating: Rating) -> None:
    events.send_on_commit(
        events.agent_group(conversation.agent_id),
        {"type": "chat.rating", "conversation": conversation.pk, "frame": rating_frame(rating)},
    )
    webhook_events.emit_rating_created(rating)
    signals.rating_created.send_on_commit(sender=Rating, rating_id=rating.pk)
