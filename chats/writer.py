"""The one writer of a chat's messages: whatever adds a line to a transcript (a visitor's or an
agent's message, alone or in a group commit's batch, a supervisor's whisper, a transfer's note,
a system line) describes it as a `MessageRequest` and stores it here.

Each message gets, in this order: its checks (body, who may write), the conversation's row lock
and next seq, the card-number masking (alone, then over the sender's previous messages: split
numbers and the expiry or CVV after one, pci.may_follow_card / mask_following_messages), the
chat's first response time, its `message` frame and the doorbell (rung after commit). The plain
path stays two statements (chats.transcript.insert_next_message), a batch's plain messages three
for the whole batch (insert_messages).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from agency.models import Agent, display_name_of
from chats import errors, events, protocol
from chats.models import Conversation, Message, SenderKind
from chats.transcript import (
    DuplicateClientId,
    InsertedMessage,
    NewMessage,
    OpenConversation,
    append_message,
    frame_of,
    insert_messages,
    insert_next_message,
    is_first_response,
    lock_open_conversations,
    mask_card_over_messages,
    record_first_response,
)
from clients import pci
from clients.text import checked_body
from core.errors import RelevoError


@dataclass(frozen=True, slots=True)
class MessageRequest:
    """One message to store.

    `agent` is an agent writing in their own chat (refused unless it is the chat's agent);
    `author` names someone whose right to write the caller has checked instead: a supervisor's
    whisper, the agent who wrote a transfer's note. A SYSTEM line is ours: neither checked nor masked.
    """

    conversation_id: int
    sender: str
    body: str
    client_id: uuid.UUID | None = None
    agent: Agent | None = None
    internal: bool = False
    author: User | None = None

    @property
    def author_id(self) -> int | None:
        if self.agent is not None:
            return self.agent.user_id
        return self.author.pk if self.author is not None else None

    @property
    def author_name(self) -> str | None:
        if self.agent is not None:
            return self.agent.display_name
        return display_name_of(self.author) if self.author is not None else None

    @property
    def in_own_chat(self) -> bool:
        """An agent's message that must be in the agent's own chat (not written on someone's behalf)."""
        return self.sender == SenderKind.AGENT and self.author is None


@dataclass(frozen=True, slots=True)
class PostedMessage:
    frame: dict[str, Any]  # protocol.message_frame
    created: bool
    masked: bool = False

    @property
    def seq(self) -> int:
        return int(self.frame["seq"])


def check_body(body: str) -> str:
    """The text of a message as stored (clients.text's rule); raise a ChatError or UnprintableText."""
    body = checked_body(body, too_long=errors.TooLong)
    if not body.strip():
        raise errors.EmptyMessage()
    return body


def checked(request: MessageRequest) -> tuple[str, bool]:
    """The body to store and whether a card number in it alone was masked; refuse what may not be written."""
    if request.sender == SenderKind.SYSTEM:
        return request.body, False
    if request.internal and request.sender != SenderKind.AGENT:
        raise errors.BadFrame(_("Only agents can write internal notes."))
    return pci.mask_card_numbers(check_body(request.body))


def write_message(request: MessageRequest, *, locked: Conversation | None = None) -> PostedMessage:
    """Store one message with the next seq, once per `client_id` (a repeated one returns the stored
    message, `created` False, so the sender is acked with the same seq).

    Without `locked`, the conversation must be open and its row is locked here. With `locked` the
    caller holds that row lock in its own transaction (a system line, a transfer's note) and has
    decided that the line belongs there, whatever the chat's status.
    """
    body, masked = checked(request)
    if locked is not None:
        appended = append_message(
            locked,
            sender=request.sender,
            body=body,
            client_id=request.client_id,
            author_id=request.author_id,
            is_internal=request.internal,
        )
        return stored(request, appended, body, masked)
    try:
        with transaction.atomic():
            inserted = insert_next_message(
                conversation_id=request.conversation_id,
                sender=request.sender,
                body=body,
                client_id=request.client_id,
                author_id=request.author_id,
                is_internal=request.internal,
            )
            if inserted is None:
                raise errors.ConversationClosed()
            if request.in_own_chat and (request.agent is None or inserted.agent_id != request.agent.pk):
                raise errors.Forbidden()
            return stored(request, inserted, body, masked)
    except (DuplicateClientId, errors.ConversationClosed):
        return answer_again(request)


def stored(request: MessageRequest, inserted: InsertedMessage, body: str, masked: bool) -> PostedMessage:
    """The rest of a message just inserted (the row lock held): masking over the sender's previous
    messages, the first response, the frame and its doorbell."""
    if request.sender != SenderKind.SYSTEM:
        kept = mask_card_over_messages(
            conversation_id=request.conversation_id,
            sender=request.sender,
            author_id=request.author_id,
            seq=inserted.seq,
            body=body,
            is_internal=request.internal,
        )
        body, masked = kept, masked or kept != body
    if is_first_response(
        sender=request.sender, is_internal=request.internal, had_first_response=inserted.had_first_response
    ):
        record_first_response(request.conversation_id, inserted.created_at)
    return announced(request, seq=inserted.seq, body=body, at=inserted.created_at, masked=masked)


def announced(request: MessageRequest, *, seq: int, body: str, at: datetime, masked: bool) -> PostedMessage:
    """The `message` frame of a stored message, its doorbell rung (after commit)."""
    frame = protocol.message_frame(
        conversation_id=request.conversation_id,
        seq=seq,
        client_id=request.client_id,
        sender=request.sender,
        author=request.author_name,
        body=body,
        at=at,
        internal=request.internal,
    )
    events.announce_message(request.conversation_id, frame)
    return PostedMessage(frame=frame, created=True, masked=masked)


def answer_again(request: MessageRequest) -> PostedMessage:
    """A retry (its client_id stored before) is answered with the stored message; a closed or
    unknown chat is refused, an agent's own chat that is not theirs as if it did not exist."""
    existing = stored_message(request)
    if existing is not None:
        return PostedMessage(frame=existing, created=False)
    if (
        request.in_own_chat
        and not Conversation.objects.filter(pk=request.conversation_id, agent=request.agent).exists()
    ):
        raise errors.Forbidden() from None  # not theirs, or no such id: say nothing more
    raise errors.ConversationClosed() from None


def stored_message(request: MessageRequest) -> dict[str, Any] | None:
    """The frame of a message this side already stored with this client_id (a retry), if any."""
    if request.client_id is None:
        return None
    message = Message.objects.filter(
        conversation_id=request.conversation_id, sender=request.sender, client_id=request.client_id
    ).first()
    if message is None:
        return None
    if message.sender == SenderKind.AGENT and (request.author_id is None or message.author_id != request.author_id):
        raise errors.Forbidden()
    return frame_of(message, request.agent)


def write_messages(requests: list[MessageRequest]) -> list[PostedMessage | RelevoError]:
    """`write_message(request)` for each request, in one transaction (chats.group_commit):
    each outcome is what write_message returns or the RelevoError it raises.

    The plain messages (text for an open chat of the sender's, not a possible card-number
    continuation or its expiry or CVV (pci.may_follow_card, as mask_card_over_messages asks), not
    repeated in the batch) are stored with three statements for the whole batch
    (chats.transcript.insert_messages); a conversation with any other message in the batch goes
    through write_message, one message at a time, in the order they came. Raises
    DuplicateClientId when a plain message turns out to be a retry (the transaction must roll
    back), and any database error.
    """
    outcomes: dict[int, PostedMessage | RelevoError] = {}  # by the request's place in `requests`
    bodies: dict[int, tuple[str, bool]] = {}
    for n, request in enumerate(requests):
        try:
            bodies[n] = checked(request)
        except RelevoError as error:
            outcomes[n] = error  # refused before any write, as write_message refuses it
    with transaction.atomic():
        locked = lock_open_conversations(request.conversation_id for request in requests)
        slow = {requests[n].conversation_id for n in bodies if not is_plain_message(requests[n], bodies[n][0], locked)}
        retry_keys = Counter(
            (requests[n].conversation_id, requests[n].sender, requests[n].client_id)
            for n in bodies
            if requests[n].client_id is not None
        )
        slow |= {conversation_id for (conversation_id, _, _), count in retry_keys.items() if count > 1}
        plain = [n for n in bodies if requests[n].conversation_id not in slow]
        messages = [new_message(requests[n], bodies[n][0]) for n in plain]
        insert_messages(messages, locked)
        for n, message in zip(plain, messages, strict=True):
            assert message.created_at is not None  # insert_messages stamped it
            outcomes[n] = announced(
                requests[n], seq=message.seq, body=message.body, at=message.created_at, masked=bodies[n][1]
            )
        for n in bodies:
            if requests[n].conversation_id in slow:
                try:
                    outcomes[n] = write_message(requests[n])
                except RelevoError as error:
                    outcomes[n] = error
    return [outcomes[n] for n in range(len(requests))]


def is_plain_message(request: MessageRequest, body: str, locked: dict[int, OpenConversation]) -> bool:
    """Can this message go into a batch's one INSERT: nothing to refuse, nothing earlier to re-read?"""
    conversation = locked.get(request.conversation_id)
    if conversation is None or pci.may_follow_card(body):
        return False  # closed or unknown (write_message says which), or maybe a card number's later part or CVV
    if request.sender == SenderKind.AGENT:
        return request.in_own_chat and request.agent is not None and conversation.agent_id == request.agent.pk
    return request.sender == SenderKind.VISITOR and not request.internal


def new_message(request: MessageRequest, body: str) -> NewMessage:
    return NewMessage(
        conversation_id=request.conversation_id,
        sender=request.sender,
        body=body,
        client_id=request.client_id,
        author_id=request.author_id,
        is_internal=request.internal,
    )


def post_system_message(conversation: Conversation, body: str) -> dict[str, Any]:
    """Append a system line and ring the doorbell; the caller holds the row lock. Its frame."""
    return write_message(
        MessageRequest(conversation_id=conversation.pk, sender=SenderKind.SYSTEM, body=body), locked=conversation
    ).frame
