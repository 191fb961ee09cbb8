"""Who may read a chat, and one chat's history as that person may read it: the conversation, its
messages, rating, calls and tags.

Two questions, each answered once here:
- a chat of the clients the person sees (clients.selectors' tenant rule): `readable_chats`; what
  `chat_history` reads for the portal's chat page, the console's history page (console search results
  link to it) and the REST API's transcript;
- a chat an agent serves or served (chats.selectors.has_served) *and* of a client they still serve:
  `check_served_by` / `served_chat`, for the console's per-chat reads and actions (escalations,
  feedback, the visitor's earlier questions, a recent chat's history).
Which messages: chats.transcript.visible_to (a client's people never see internal notes).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from agency.models import Agent
from chats.calls.models import Call
from chats.calls.selectors import calls_of
from chats.errors import Forbidden, NotFound
from chats.models import Conversation, Message
from chats.ratings.models import Rating
from chats.selectors import has_served
from chats.transcript import visible_to
from clients.selectors import clients_visible_to


@dataclass(frozen=True, slots=True)
class ChatHistory:
    conversation: Conversation
    transcript: list[Message]
    rating: Rating | None
    calls: list[Call]
    tags: list[str]


def readable_chats(user) -> QuerySet[Conversation]:
    """The chats of the clients `user` sees: the tenant rule, for chats."""
    return Conversation.objects.filter(client__in=clients_visible_to(user).values("pk"))


def check_served_by(conversation: Conversation, agent: Agent) -> None:
    """Forbidden unless the agent serves or served this chat (its agent, or one who wrote in it before a
    transfer or a take-over) and still serves its client."""
    if (
        not has_served(conversation, agent)
        or not clients_visible_to(agent.user).filter(pk=conversation.client_id).exists()
    ):
        raise Forbidden()


def served_chat(
    *, agent: Agent, conversation_id: int, conversations: QuerySet[Conversation] | None = None
) -> Conversation:
    """The chat, read from `conversations` (all, by default), if `check_served_by` lets the agent have it;
    NotFound when there is no such chat."""
    conversations = Conversation.objects.all() if conversations is None else conversations
    conversation = conversations.filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound()
    check_served_by(conversation, agent)
    return conversation


def chat_history(*, user, conversation_id: int) -> ChatHistory:
    """The chat `conversation_id` as `user` may read it. Raises NotFound when it is not a chat of one of
    the user's clients (a 404, never a 403 that would confirm it exists)."""
    conversation = (
        readable_chats(user).filter(pk=conversation_id).select_related("client", "visitor", "agent__user").first()
    )
    if conversation is None:
        raise NotFound()
    return _history_of(conversation, reader=user)


def served_chat_history(*, agent: Agent, conversation_id: int) -> ChatHistory:
    """A chat the agent served (`served_chat`), whole, internal notes included: the console's recent chat."""
    conversations = Conversation.objects.select_related("client", "visitor", "agent__user")
    conversation = served_chat(agent=agent, conversation_id=conversation_id, conversations=conversations)
    return _history_of(conversation, reader=agent.user)


def _history_of(conversation: Conversation, *, reader) -> ChatHistory:
    """What `reader` sees of a chat that one of the rules above let them open."""
    messages = visible_to(reader, Message.objects.filter(conversation_id=conversation.pk))
    return ChatHistory(
        conversation=conversation,
        transcript=list(messages.select_related("author").order_by("seq")),
        rating=Rating.objects.filter(conversation_id=conversation.pk).first(),
        calls=calls_of(conversation.pk),
        tags=list(conversation.tags.values_list("name", flat=True)),
    )
