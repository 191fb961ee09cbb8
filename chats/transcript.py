"""Appending to a conversation's numbered transcript and reading it back as frames."""
from __future__ import annotations

import uuid

from agency.models import Agent
from chats import events, protocol
from chats.models import Conversation, Message, SenderKind


def append_message(conversation: Conversation, *, sender: str, body: str,
                   client_id: uuid.UUID | None = None, author=None) -> Message:
    """Store the next message; the caller holds the conversation's row lock."""
    conversation.last_seq += 1
    message = Message.objects.create(
        conversation_id=conversation.pk, seq=conversation.last_seq, sender=sender,
        author=author, body=body, client_id=client_id,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=conversation.last_seq)
    return message


def post_system_message(conversation: Conversation, body: str) -> dict:
    """Append a system line and ring the doorbell; the caller holds the row lock."""
    message = append_message(conversation, sender=SenderKind.SYSTEM, body=body)
    frame = frame_of(message)
    events.announce_message(conversation.pk, frame)
    return frame


def frame_of(message: Message, agent: Agent | None = None) -> dict:
    """The `message` frame; pass the sending agent to spare a query for the author."""
    author = None
    if message.sender == SenderKind.AGENT:
        if agent is not None:
            author = agent.display_name
        elif message.author is not None:
            author = message.author.first_name or message.author.username
    return protocol.message_frame(
        conversation_id=message.conversation_id, seq=message.seq, client_id=message.client_id,
        sender=message.sender, author=author, body=message.body, at=message.created_at,
    )


def message_frames_after(*, conversation_id: int, after: int, limit: int = 500) -> list[dict]:
    """Stored messages with seq > `after`, oldest first, as frames (the gap filler)."""
    messages = (
        Message.objects.filter(conversation_id=conversation_id, seq__gt=after)
        .select_related("author")
        .order_by("seq")[:limit]
    )
    return [frame_of(message) for message in messages]
