"""The statements that append to a conversation's numbered transcript (chats.writer's storage):
one message under its own row lock, a batch under locks taken in id order, a line for a caller
that holds the lock already, and the rewrite of a sender's messages that together hold a card
number. Plain SQL where the message path runs: model instances and the ORM's query building
cost more than the statements themselves."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from chats import events, protocol
from chats.models import Conversation, ConversationStatus, Message, SenderKind
from clients import pci
from core import metrics

MESSAGE_COLUMNS = ("conversation_id", "seq", "sender", "author_id", "body", "client_id", "created_at", "is_internal")
OPEN = (ConversationStatus.QUEUED.value, ConversationStatus.ACTIVE.value)


class DuplicateClientId(Exception):
    """The sender already stored a message with this client_id in this conversation."""


@dataclass(slots=True)
class NewMessage:
    """A message on its way into the transcript; the statement that stores it numbers it."""

    conversation_id: int
    sender: str
    body: str
    client_id: uuid.UUID | None
    author_id: int | None
    is_internal: bool = False
    seq: int = 0
    created_at: datetime = field(default_factory=timezone.now)

    def row(self) -> list[Any]:
        """The values of MESSAGE_COLUMNS, as the database takes them."""
        fields = {field.name: field for field in Message._meta.concrete_fields}
        return [
            self.conversation_id,
            self.seq,
            self.sender,
            self.author_id,
            self.body,
            fields["client_id"].get_db_prep_value(self.client_id, connection),
            fields["created_at"].get_db_prep_value(self.created_at, connection),
            self.is_internal,
        ]


@dataclass(frozen=True, slots=True)
class InsertedMessage:
    seq: int
    agent_id: int | None
    had_first_response: bool
    created_at: datetime
    card_near: bool | None = None  # asked by insert_next_message only: see take_next_seq


def is_first_response(*, sender: str, is_internal: bool, had_first_response: bool) -> bool:
    """Does this message time the chat's first response (`first_response_at`)? An agent's first
    message that the visitor sees; an internal note never counts."""
    return sender == SenderKind.AGENT and not is_internal and not had_first_response


def append_message(conversation: Conversation, message: NewMessage) -> InsertedMessage:
    """Store the next message whatever the chat's status (chats.writer, for a caller that holds
    the conversation's row lock: a system line, a transfer's note)."""
    conversation.last_seq += 1
    message.seq = conversation.last_seq
    message.created_at = Message.objects.create(
        conversation_id=conversation.pk,
        seq=message.seq,
        sender=message.sender,
        author_id=message.author_id,
        body=message.body,
        client_id=message.client_id,
        is_internal=message.is_internal,
    ).created_at
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=conversation.last_seq)
    return InsertedMessage(
        seq=message.seq,
        agent_id=conversation.agent_id,
        had_first_response=conversation.first_response_at is not None,
        created_at=message.created_at,
    )


def insert_next_message(message: NewMessage, *, ask_card_near: bool = False) -> InsertedMessage | None:
    """The message path in two statements: take the next seq of an open conversation
    (which locks its row) and insert the message with it. With `ask_card_near` the first
    statement also answers `InsertedMessage.card_near` (`take_next_seq`).

    Returns None when the conversation is missing or closed. Raises
    DuplicateClientId; the caller's transaction then rolls back, seq included.
    """
    with connection.cursor() as cursor:
        taken = take_next_seq(cursor, message, ask_card_near=ask_card_near)
        if taken is None:
            return None
        message.seq, agent_id, first_response_at, *card_near = taken
        cursor.execute(
            f"INSERT INTO {Message._meta.db_table} ({', '.join(MESSAGE_COLUMNS)}) "  # noqa: S608 (no input)
            f"VALUES ({', '.join(['%s'] * len(MESSAGE_COLUMNS))}) "
            "ON CONFLICT (conversation_id, sender, client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING id",
            message.row(),
        )
        if cursor.fetchone() is None:
            raise DuplicateClientId()
    return InsertedMessage(
        seq=message.seq,
        agent_id=agent_id,
        had_first_response=first_response_at is not None,
        created_at=message.created_at,
        card_near=card_near[0] if card_near else None,
    )


def take_next_seq(cursor: CursorWrapper, message: NewMessage, *, ask_card_near: bool) -> tuple[Any, ...] | None:
    """(seq, agent_id, first_response_at[, card_near]) of the message's open conversation, its
    last_seq taken (which locks its row); None when it is missing or closed.

    `card_near`, asked in the same statement (no round trip of its own): has the same sender
    written a masked card number within pci.FOLLOW_UP_SECONDS? A message that may only give a
    card's expiry or security code (pci.FollowUp.DETAILS) needs its sender's earlier messages
    only then (a superset of pci.mask_following_messages' question: any masked digit will do).
    """
    sql = (
        f"UPDATE {Conversation._meta.db_table} SET last_seq = last_seq + 1 "  # noqa: S608 (no input)
        "WHERE id = %s AND status IN (%s, %s) RETURNING last_seq, agent_id, first_response_at"
    )
    params: list[Any] = [message.conversation_id, *OPEN]
    if ask_card_near:
        author = "author_id IS NULL" if message.author_id is None else "author_id = %s"
        sql += (
            f", EXISTS (SELECT 1 FROM {Message._meta.db_table} WHERE conversation_id = %s AND sender = %s"  # noqa: S608
            f" AND {author} AND is_internal = %s AND created_at >= %s AND body LIKE %s)"  # (no input in the SQL)
        )
        params += [message.conversation_id, message.sender]
        params += [message.author_id] if message.author_id is not None else []
        since = message.created_at - timedelta(seconds=pci.FOLLOW_UP_SECONDS)
        params += [message.is_internal, since, f"%{pci.MASK}%"]
    cursor.execute(sql, params)
    row: tuple[Any, ...] | None = cursor.fetchone()
    return row


@dataclass(frozen=True, slots=True)
class OpenConversation:
    """What appending needs of an open conversation whose row this transaction has locked."""

    last_seq: int
    agent_id: int | None
    had_first_response: bool


def lock_open_conversations(conversation_ids: Iterable[int]) -> dict[int, OpenConversation]:
    """Lock the rows of these conversations in id order (so that two batches never wait on each
    other in a circle) and return the open ones; a missing or closed one is left out. Plain SQL:
    building the ORM query took half of a small batch's time."""
    ids = sorted(set(conversation_ids))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, last_seq, agent_id, first_response_at FROM {Conversation._meta.db_table} "  # noqa: S608
            f"WHERE id IN ({', '.join(['%s'] * len(ids))}) AND status IN (%s, %s) ORDER BY id{lock}",  # (no input)
            [*ids, *OPEN],
        )
        return {
            pk: OpenConversation(last_seq, agent_id, had_first_response=first_response_at is not None)
            for pk, last_seq, agent_id, first_response_at in cursor.fetchall()
        }


def insert_messages(messages: list[NewMessage], locked: dict[int, OpenConversation]) -> None:
    """Append `messages` (in the order they came) to their `locked` conversations in two
    statements for them all: one INSERT, one UPDATE of each conversation's last_seq (and
    one more for a chat's first visible agent reply, its first_response_at). Sets each
    message's seq. Raises DuplicateClientId if any client_id was stored before; the caller's
    transaction must then roll back (chats.group_commit then stores the batch one by one).
    """
    if not messages:
        return
    last_seqs = {conversation_id: open_.last_seq for conversation_id, open_ in locked.items()}
    for message in messages:
        last_seqs[message.conversation_id] += 1
        message.seq = last_seqs[message.conversation_id]
    placeholders = ", ".join([f"({', '.join(['%s'] * len(MESSAGE_COLUMNS))})"] * len(messages))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Message._meta.db_table} ({', '.join(MESSAGE_COLUMNS)}) "  # noqa: S608
                f"VALUES {placeholders}",
                [value for message in messages for value in message.row()],
            )  # (no input in the SQL)
    except IntegrityError as error:
        raise DuplicateClientId() from error
    update_last_seqs({message.conversation_id: last_seqs[message.conversation_id] for message in messages})
    record_first_replies(messages, locked)


def update_last_seqs(last_seqs: dict[int, int]) -> None:
    """One UPDATE for every conversation: a CASE, not bulk_update (that built an expression tree per row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Conversation._meta.db_table} SET last_seq = CASE id "  # noqa: S608 (no input)
            f"{' '.join(['WHEN %s THEN %s'] * len(last_seqs))} END WHERE id IN ({', '.join(['%s'] * len(last_seqs))})",
            [value for pair in last_seqs.items() for value in pair] + list(last_seqs),
        )


def record_first_replies(messages: list[NewMessage], locked: dict[int, OpenConversation]) -> None:
    """Once per chat of the batch: its first visible agent reply, if this is it."""
    first_replies: dict[int, datetime] = {}
    for message in messages:
        if is_first_response(
            sender=message.sender,
            is_internal=message.is_internal,
            had_first_response=locked[message.conversation_id].had_first_response,
        ):
            first_replies.setdefault(message.conversation_id, message.created_at)
    for conversation_id, at in first_replies.items():
        record_first_response(conversation_id, at)


def record_first_response(conversation_id: int, at: datetime) -> None:
    """Stamp the chat's first response; once committed, time it (relevo_first_response_seconds) from
    the chat's request, read back by the same statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Conversation._meta.db_table} SET first_response_at = %s WHERE id = %s "  # noqa: S608 (no input)
            "RETURNING requested_at",
            [at, conversation_id],
        )
        row = cursor.fetchone()
    if row is not None:
        seconds = (at - stored_datetime(row[0])).total_seconds()
        transaction.on_commit(lambda: metrics.FIRST_RESPONSE_SECONDS.observe(max(seconds, 0.0)))


def stored_datetime(value: datetime | str) -> datetime:
    """A timestamp read by raw SQL: PostgreSQL gives it aware, SQLite as UTC text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def mask_card_over_messages(message: NewMessage) -> str:
    """The body to keep for `message`, just stored, by pci's rule for a sender's consecutive
    messages (pci.mask_following_messages): when it continues digit groups that end the same
    sender's previous message(s) and together they form a card number, every part is masked in
    place and the rewritten earlier ones are announced (`redacted` frames); when it gives the
    expiry or security code of a card number they masked a moment ago, those are masked.

    The caller asks first whether the message may follow a card at all (pci.follow_up_of) and
    holds the conversation's row lock, so no message slips in between.
    """
    earlier = earlier_messages_of(message)
    masked = pci.mask_following_messages([body for _, body in earlier], message.body) if earlier else None
    if masked is None:
        return message.body
    for (seq, body), new_body in zip([*earlier, (message.seq, message.body)], masked, strict=True):
        if new_body == body:
            continue
        Message.objects.filter(conversation_id=message.conversation_id, seq=seq).update(body=new_body)
        if seq != message.seq:
            events.announce_redacted(
                message.conversation_id,
                protocol.redacted_frame(conversation_id=message.conversation_id, seq=seq, body=new_body),
                internal=message.is_internal,
            )
    return masked[-1]


def earlier_messages_of(message: NewMessage) -> list[tuple[int, str]]:
    """(seq, body) of the sender's last pci.FOLLOW_UP_MESSAGES before `message` within
    pci.FOLLOW_UP_SECONDS, oldest first; a note never continues a visible message, nor the reverse."""
    since = timezone.now() - timedelta(seconds=pci.FOLLOW_UP_SECONDS)
    return list(
        Message.objects.filter(
            conversation_id=message.conversation_id,
            seq__lt=message.seq,
            sender=message.sender,
            author_id=message.author_id,
            is_internal=message.is_internal,
            created_at__gte=since,
        )
        .order_by("-seq")
        .values_list("seq", "body")[: pci.FOLLOW_UP_MESSAGES]
    )[::-1]
