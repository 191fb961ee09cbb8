"""One chat's history as a given person may read it: the conversation, its messages, rating, calls
and tags. Which chats: those of the clients the person sees (clients.selectors' tenant rule); which
messages: chats.transcript.visible_to (a client's people never see internal notes).

Every edge that opens a chat reads it here: the portal's chat page, the console's history page
(console search results link to it) and the REST API's transcript.
"""

from __future__ import annotations

from dataclasses import dataclass

from chats.calls.models import Call
from chats.calls.selectors import calls_of
from chats.errors import NotFound
from chats.models import Conversation, Message
from chats.ratings.models import Rating
from chats.transcript import visible_to
from clients.selectors import clients_visible_to


@dataclass(frozen=True, slots=True)
class ChatHistory:
    conversation: Conversation
    transcript: list[Message]
    rating: Rating | None
    calls: list[Call]
    tags: list[str]


def chat_history(*, user, conversation_id: int) -> ChatHistory:
    """The chat `conversation_id` as `user` may read it. Raises NotFound when it is not a chat of one of
    the user's clients (a 404, never a 403 that would confirm it exists)."""
    conversation = (
        Conversation.objects.filter(client__in=clients_visible_to(user).values("pk"), pk=conversation_id)
        .select_related("client", "visitor", "agent__user")
        .first()
    )
    if conversation is None:
        raise NotFound()
    messages = visible_to(user, Message.objects.filter(conversation_id=conversation.pk))
    return ChatHistory(
        conversation=conversation,
        transcript=list(messages.select_related("author").order_by("seq")),
        rating=Rating.objects.filter(conversation_id=conversation.pk).first(),
        calls=calls_of(conversation.pk),
        tags=list(conversation.tags.values_list("name", flat=True)),
    )
