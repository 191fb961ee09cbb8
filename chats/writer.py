"""The one writer of a chat's messages: whatever adds a line to a transcript (a visitor's or an
agent's message, alone or in a group commit's batch, a supervisor's whisper, a transfer's note,
a system line) describes it as a `MessageRequest` and stores it here.

Each message gets, in this order: its checks (body, who may write), the conversation's row lock
and next seq, the card-number masking (alone, then over the sender's previous messages: split
numbers and the expiry or CVV after one, pci.follow_up_of / mask_following_messages), the
chat's first response time, its `message` frame and the doorbell (rung after commit). The plain
path stays two statements (chats.message_store.insert_next_message), a batch's plain messages
three for the whole batch (insert_messages). Each message is checked, masked and asked
pci.follow_up_of once, whichever path it takes.
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
from chats.message_store import (
    DuplicateClientId,
    InsertedMessage,
    NewMessage,
    OpenConversation,
    append_message,
    insert_messages,
    insert_next_message,
    is_first_response,
    lock_open_conversations,
    mask_card_over_messages,
    record_first_response,
)
from chats.models import Conversation, Message, SenderKind
from chats.transcript import frame_of
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


@dataclass(frozen=True, slots=True)
class CheckedMessage:
    """A request's body as it is stored, whether masking it alone changed it, and what it may
    add to its sender's previous messages (pci.follow_up_of)."""

    body: str
    masked: bool
    follow_up: pci.FollowUp

    @property
    def may_be_plain(self) -> bool:
        """Nothing earlier to re-read for it: it may go into a batch's one INSERT."""
        return self.follow_up is pci.FollowUp.NONE

    def reads_earlier_messages(self, card_near: bool | None) -> bool:
        """Must the sender's previous messages be read, once it is stored? For a possible
        continuation of a card number; for a possible expiry or CVV unless no card is near
        (`card_near` False: the insert's own statement said so)."""
        if self.follow_up is pci.FollowUp.DETAILS:
            return card_near is not False
        return self.follow_up is pci.FollowUp.CONTINUATION


def checked(request: MessageRequest) -> CheckedMessage:
    """What to store of a request; refuse what may not be written. A SYSTEM line is ours, as it is."""
    if request.sender == SenderKind.SYSTEM:
        return CheckedMessage(request.body, masked=False, follow_up=pci.FollowUp.NONE)
    if request.internal and request.sender != SenderKind.AGENT:
        raise errors.BadFrame(_("Only agents can write internal notes."))
    body, masked = pci.mask_card_numbers(check_body(request.body))
    return CheckedMessage(body, masked=masked, follow_up=pci.follow_up_of(body))


def write_message(request: MessageRequest, *, locked: Conversation | None = None) -> PostedMessage:
    """Store one message with the next seq, once per `client_id` (a repeated one returns the stored
    message, `created` False, so the sender is acked with the same seq).

    Without `locked`, the conversation must be open and its row is locked here. With `locked` the
    caller holds that row lock in its own transaction (a system line, a transfer's note) and has
    decided that the line belongs there, whatever the chat's status.
    """
    return write_checked(request, checked(request), locked=locked)


def write_checked(
    request: MessageRequest, check: CheckedMessage, *, locked: Conversation | None = None
) -> PostedMessage:
    """`write_message` of a request already `checked`."""
    message = new_message(request, check.body)
    if locked is not None:
        if locked.pk != request.conversation_id:
            raise ValueError(
                f"write_message: the request is for conversation {request.conversation_id}, "
                f"but the row lock passed as `locked` is conversation {locked.pk}'s"
            )
        return stored(request, append_message(locked, message), message, check)
    try:
        with transaction.atomic():
            inserted = insert_next_message(message, ask_card_near=check.follow_up is pci.FollowUp.DETAILS)
            if inserted is None:
                raise errors.ConversationClosed()
            if request.in_own_chat and (request.agent is None or inserted.agent_id != request.agent.pk):
                raise errors.Forbidden()
            return stored(request, inserted, message, check)
    except (DuplicateClientId, errors.ConversationClosed):
        return answer_again(request)


def stored(
    request: MessageRequest, inserted: InsertedMessage, message: NewMessage, check: CheckedMessage
) -> PostedMessage:
    """The rest of a message just inserted (the row lock held): masking over the sender's previous
    messages, the first response, the frame and its doorbell."""
    body, masked = check.body, check.masked
    if check.reads_earlier_messages(inserted.card_near):
        body = mask_card_over_messages(message)
        masked = masked or body != check.body
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


Outcome = PostedMessage | RelevoError


def write_messages(requests: list[MessageRequest]) -> list[Outcome]:
    """`write_message(request)` for each request, in one transaction (chats.group_commit):
    each outcome is what write_message returns or the RelevoError it raises.

    The plain messages (`is_plain_message`, not repeated in the batch) are stored with three
    statements for the whole batch (chats.message_store.insert_messages); a conversation with
    any other message in the batch goes through write_checked, one message at a time, in the
    order they came. Raises DuplicateClientId when a plain message turns out to be a retry (the
    transaction must roll back), and any database error.
    """
    outcomes: dict[int, Outcome] = {}  # by the request's place in `requests`
    checks: dict[int, CheckedMessage] = {}
    for n, request in enumerate(requests):
        try:
            checks[n] = checked(request)
        except RelevoError as error:
            outcomes[n] = error  # refused before any write, as write_message refuses it
    if checks:
        with transaction.atomic():
            locked = lock_open_conversations(requests[n].conversation_id for n in checks)
            slow = slow_conversations({n: requests[n] for n in checks}, checks, locked)
            plain = [n for n in checks if requests[n].conversation_id not in slow]
            outcomes |= write_plain({n: requests[n] for n in plain}, checks, locked)
            for n in checks:
                if requests[n].conversation_id in slow:
                    outcomes[n] = outcome_of(requests[n], checks[n])
    return [outcomes[n] for n in range(len(requests))]


def slow_conversations(
    requests: dict[int, MessageRequest], checks: dict[int, CheckedMessage], locked: dict[int, OpenConversation]
) -> set[int]:
    """The conversations of a batch with a message that is not plain, or a client_id given twice."""
    slow = {
        request.conversation_id for n, request in requests.items() if not is_plain_message(request, checks[n], locked)
    }
    retry_keys = Counter(
        (request.conversation_id, request.sender, request.client_id)
        for request in requests.values()
        if request.client_id is not None
    )
    return slow | {conversation_id for (conversation_id, _, _), count in retry_keys.items() if count > 1}


def write_plain(
    requests: dict[int, MessageRequest], checks: dict[int, CheckedMessage], locked: dict[int, OpenConversation]
) -> dict[int, Outcome]:
    """Store a batch's plain messages with one INSERT and announce each."""
    messages = {n: new_message(request, checks[n].body) for n, request in requests.items()}
    insert_messages(list(messages.values()), locked)
    return {
        n: announced(requests[n], seq=message.seq, body=message.body, at=message.created_at, masked=checks[n].masked)
        for n, message in messages.items()
    }


def outcome_of(request: MessageRequest, check: CheckedMessage) -> Outcome:
    try:
        return write_checked(request, check)
    except RelevoError as error:
        return error


def is_plain_message(request: MessageRequest, check: CheckedMessage, locked: dict[int, OpenConversation]) -> bool:
    """Can this message go into a batch's one INSERT: nothing to refuse, nothing earlier to re-read?"""
    conversation = locked.get(request.conversation_id)
    if conversation is None or not check.may_be_plain:
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
