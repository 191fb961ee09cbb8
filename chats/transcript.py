"""Reading a conversation's numbered transcript back (as frames, or what each reader may see), and
masking what was stored before the card-number rule last grew. Appending is chats.writer's
(chats.message_store holds its statements)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet

from agency.models import Agent, display_name_of
from chats import protocol
from chats.models import Conversation, Message, SenderKind
from clients import pci
from clients.selectors import is_client_side


def frame_of(message: Message, agent: Agent | None = None) -> dict:
    """The `message` frame; pass the sending agent to spare a query for the author."""
    author = None
    if message.sender == SenderKind.AGENT:
        if agent is not None:
            author = agent.display_name
        elif message.author is not None:
            author = display_name_of(message.author)
    return protocol.message_frame(
        conversation_id=message.conversation_id,
        seq=message.seq,
        client_id=message.client_id,
        sender=message.sender,
        author=author,
        body=message.body,
        at=message.created_at,
        internal=message.is_internal,
    )


def message_frames_after(
    *, conversation_id: int, after: int, limit: int = 500, include_internal: bool = True
) -> list[dict]:
    """Stored messages with seq > `after`, oldest first, as frames (the gap filler).
    A visitor's socket passes `include_internal=False`: internal notes never reach it."""
    messages = Message.objects.filter(conversation_id=conversation_id, seq__gt=after)
    if not include_internal:
        messages = visitor_visible(messages)
    return [frame_of(message) for message in messages.select_related("author").order_by("seq")[:limit]]


def mask_stored_messages(conversation_id: int) -> int:
    """Mask a conversation's stored messages as post_message masks new ones (each alone, then with
    the same sender's previous ones: chats.message_store.mask_card_over_messages' rule, FOLLOW_UP_SECONDS counted from
    each message's time), for text stored before the rule last grew; the number of messages
    rewritten. Holds the conversation's row lock, so no message is posted meanwhile."""
    with transaction.atomic():
        Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        rows = list(
            Message.objects.filter(conversation_id=conversation_id)
            .order_by("seq")
            .values_list("pk", "sender", "author_id", "is_internal", "created_at", "body")
        )
        bodies = {pk: body for pk, *_, body in rows}
        times = {pk: created_at for pk, _, _, _, created_at, _ in rows}
        by_sender: dict[tuple, list[int]] = {}
        for pk, sender, author_id, is_internal, created_at, body in rows:
            bodies[pk] = pci.mask_card_numbers(body)[0]
            since = created_at - timedelta(seconds=pci.FOLLOW_UP_SECONDS)
            earlier = [
                earlier_pk
                for earlier_pk in by_sender.get((sender, author_id, is_internal), [])
                if times[earlier_pk] >= since
            ][-pci.FOLLOW_UP_MESSAGES :]
            if earlier and pci.may_follow_card(bodies[pk]):
                masked = pci.mask_following_messages([bodies[earlier_pk] for earlier_pk in earlier], bodies[pk])
                bodies.update(zip([*earlier, pk], masked or [], strict=False))
            by_sender.setdefault((sender, author_id, is_internal), []).append(pk)
        changed = {pk: bodies[pk] for pk, *_, body in rows if bodies[pk] != body}
        for pk, body in changed.items():
            Message.objects.filter(pk=pk).update(body=body)
    return len(changed)


def visitor_visible(messages: QuerySet[Message]) -> QuerySet[Message]:
    """The one place that says which messages a visitor (and the client's people) may see:
    internal notes are the agency's, shown to agents and supervisors only."""
    return messages.filter(is_internal=False)


def visible_to(user, messages: QuerySet[Message]) -> QuerySet[Message]:
    """What this user may read of these messages: a client's people see what the visitor saw;
    agents and the agency's people see internal notes too."""
    return visitor_visible(messages) if is_client_side(user) else messages


def visitor_visible_messages(conversation_id: int) -> QuerySet[Message]:
    """The messages a visitor may see of their chat, oldest first: what a transcript email holds."""
    return (
        visitor_visible(Message.objects.filter(conversation_id=conversation_id))
        .select_related("author")
        .order_by("seq")
    )
