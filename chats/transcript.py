"""Appending to a conversation's numbered transcript and reading it back as frames."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from agency.models import Agent, display_name_of
from chats import events, protocol
from chats.models import Conversation, ConversationStatus, Message, SenderKind
from clients import pci
from clients.selectors import is_client_side
from core import metrics


def append_message(
    conversation: Conversation,
    *,
    sender: str,
    body: str,
    client_id: uuid.UUID | None = None,
    author_id: int | None = None,
    is_internal: bool = False,
) -> InsertedMessage:
    """Store the next message whatever the chat's status (chats.writer, for a caller that holds
    the conversation's row lock: a system line, a transfer's note)."""
    conversation.last_seq += 1
    message = Message.objects.create(
        conversation_id=conversation.pk,
        seq=conversation.last_seq,
        sender=sender,
        author_id=author_id,
        body=body,
        client_id=client_id,
        is_internal=is_internal,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=conversation.last_seq)
    return InsertedMessage(
        seq=message.seq,
        agent_id=conversation.agent_id,
        had_first_response=conversation.first_response_at is not None,
        created_at=message.created_at,
    )


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


class DuplicateClientId(Exception):
    """The sender already stored a message with this client_id in this conversation."""


@dataclass(frozen=True, slots=True)
class InsertedMessage:
    seq: int
    agent_id: int | None
    had_first_response: bool
    created_at: datetime


MESSAGE_COLUMNS = ("conversation_id", "seq", "sender", "author_id", "body", "client_id", "created_at", "is_internal")


def message_row(
    *,
    conversation_id: int,
    seq: int,
    sender: str,
    author_id: int | None,
    body: str,
    client_id: uuid.UUID | None,
    created_at: datetime,
    is_internal: bool,
) -> list:
    """The values of MESSAGE_COLUMNS for one message, as the database takes them."""
    fields = {field.name: field for field in Message._meta.concrete_fields}
    return [
        conversation_id,
        seq,
        sender,
        author_id,
        body,
        fields["client_id"].get_db_prep_value(client_id, connection),
        fields["created_at"].get_db_prep_value(created_at, connection),
        is_internal,
    ]


def is_first_response(*, sender: str, is_internal: bool, had_first_response: bool) -> bool:
    """Does this message time the chat's first response (`first_response_at`)? An agent's first
    message that the visitor sees; an internal note never counts."""
    return sender == SenderKind.AGENT and not is_internal and not had_first_response


def insert_next_message(
    *,
    conversation_id: int,
    sender: str,
    body: str,
    client_id: uuid.UUID | None,
    author_id: int | None,
    is_internal: bool = False,
) -> InsertedMessage | None:
    """The message path in two statements: take the next seq of an open conversation
    (which locks its row) and insert the message with it.

    Returns None when the conversation is missing or closed. Raises
    DuplicateClientId; the caller's transaction then rolls back, seq included.
    """
    created_at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Conversation._meta.db_table} SET last_seq = last_seq + 1 "  # noqa: S608 (no input)
            "WHERE id = %s AND status IN (%s, %s) RETURNING last_seq, agent_id, first_response_at",
            [conversation_id, ConversationStatus.QUEUED.value, ConversationStatus.ACTIVE.value],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        seq, agent_id, first_response_at = row
        cursor.execute(
            f"INSERT INTO {Message._meta.db_table} ({', '.join(MESSAGE_COLUMNS)}) "  # noqa: S608 (no input)
            f"VALUES ({', '.join(['%s'] * len(MESSAGE_COLUMNS))}) "
            "ON CONFLICT (conversation_id, sender, client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING id",
            message_row(
                conversation_id=conversation_id,
                seq=seq,
                sender=sender,
                author_id=author_id,
                body=body,
                client_id=client_id,
                created_at=created_at,
                is_internal=is_internal,
            ),
        )
        if cursor.fetchone() is None:
            raise DuplicateClientId()
    return InsertedMessage(
        seq=seq, agent_id=agent_id, had_first_response=first_response_at is not None, created_at=created_at
    )


@dataclass(frozen=True, slots=True)
class OpenConversation:
    """What appending needs of an open conversation whose row this transaction has locked."""

    last_seq: int
    agent_id: int | None
    had_first_response: bool


def lock_open_conversations(conversation_ids) -> dict[int, OpenConversation]:
    """Lock the rows of these conversations in id order (so that two batches never wait on each
    other in a circle) and return the open ones; a missing or closed one is left out. Plain SQL:
    building the ORM query took half of a small batch's time."""
    ids = sorted(set(conversation_ids))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, last_seq, agent_id, first_response_at FROM {Conversation._meta.db_table} "  # noqa: S608
            f"WHERE id IN ({', '.join(['%s'] * len(ids))}) AND status IN (%s, %s) ORDER BY id{lock}",  # (no input)
            [*ids, ConversationStatus.QUEUED.value, ConversationStatus.ACTIVE.value],
        )
        return {
            pk: OpenConversation(last_seq, agent_id, had_first_response=first_response_at is not None)
            for pk, last_seq, agent_id, first_response_at in cursor.fetchall()
        }


@dataclass(slots=True)
class NewMessage:
    """A message on its way into a batch (chats.services.post_messages); insert_messages numbers it."""

    conversation_id: int
    sender: str
    body: str
    client_id: uuid.UUID | None
    author_id: int | None
    is_internal: bool = False
    seq: int = 0
    created_at: datetime | None = None


def insert_messages(messages: list[NewMessage], locked: dict[int, OpenConversation]) -> None:
    """Append `messages` (in the order they came) to their `locked` conversations in two
    statements for them all: one INSERT, one UPDATE of each conversation's last_seq (and
    one more for a chat's first visible agent reply, its first_response_at). Sets each
    message's seq and created_at. Raises DuplicateClientId if any client_id was stored
    before; the caller's transaction must then roll back (chats.group_commit then stores
    the batch one by one). Plain SQL, like insert_next_message: model instances and
    bulk_create cost more than the statement itself.
    """
    if not messages:
        return
    last_seqs = {conversation_id: open_.last_seq for conversation_id, open_ in locked.items()}
    rows: list = []
    for message in messages:
        last_seqs[message.conversation_id] += 1
        message.seq = last_seqs[message.conversation_id]
        message.created_at = timezone.now()
        rows += message_row(
            conversation_id=message.conversation_id,
            seq=message.seq,
            sender=message.sender,
            author_id=message.author_id,
            body=message.body,
            client_id=message.client_id,
            created_at=message.created_at,
            is_internal=message.is_internal,
        )
    placeholders = ", ".join([f"({', '.join(['%s'] * len(MESSAGE_COLUMNS))})"] * len(messages))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Message._meta.db_table} ({', '.join(MESSAGE_COLUMNS)}) "  # noqa: S608
                f"VALUES {placeholders}",
                rows,
            )  # (no input in the SQL)
    except IntegrityError as error:
        raise DuplicateClientId() from error
    touched = {message.conversation_id: last_seqs[message.conversation_id] for message in messages}
    with connection.cursor() as cursor:  # a CASE, not bulk_update: that built an expression tree per row
        cursor.execute(
            f"UPDATE {Conversation._meta.db_table} SET last_seq = CASE id "  # noqa: S608 (no input)
            f"{' '.join(['WHEN %s THEN %s'] * len(touched))} END WHERE id IN ({', '.join(['%s'] * len(touched))})",
            [value for pair in touched.items() for value in pair] + list(touched),
        )
    first_replies: dict[int, datetime] = {}
    for message in messages:
        if is_first_response(
            sender=message.sender,
            is_internal=message.is_internal,
            had_first_response=locked[message.conversation_id].had_first_response,
        ):
            first_replies.setdefault(message.conversation_id, message.created_at)
    for conversation_id, at in first_replies.items():  # once per chat: its first agent reply
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


def mask_card_over_messages(
    *, conversation_id: int, sender: str, author_id: int | None, seq: int, body: str, is_internal: bool = False
) -> str:
    """The body to keep for message `seq`, just stored, by pci's rule for a sender's consecutive
    messages (pci.mask_following_messages): when it continues digit groups that end the same
    sender's previous message(s) and together they form a card number, every part is masked in
    place and the rewritten earlier ones are announced (`redacted` frames); when it gives the
    expiry or security code of a card number they masked a moment ago, those are masked.

    Looks anything up only when pci.may_follow_card(body), the question the batch path asks
    too; the caller holds the conversation's row lock (insert_next_message took it), so no
    message slips in between.
    """
    if not pci.may_follow_card(body):
        return body
    since = timezone.now() - timedelta(seconds=pci.FOLLOW_UP_SECONDS)
    earlier = list(
        Message.objects.filter(
            conversation_id=conversation_id,
            seq__lt=seq,
            sender=sender,
            author_id=author_id,
            is_internal=is_internal,  # a note never continues a visible message, nor the reverse
            created_at__gte=since,
        )
        .order_by("-seq")
        .values_list("seq", "body")[: pci.FOLLOW_UP_MESSAGES]
    )[::-1]
    masked = pci.mask_following_messages([earlier_body for _, earlier_body in earlier], body) if earlier else None
    if masked is None:
        return body
    for (earlier_seq, earlier_body), new_body in zip(earlier, masked, strict=False):
        if new_body != earlier_body:
            Message.objects.filter(conversation_id=conversation_id, seq=earlier_seq).update(body=new_body)
            events.announce_redacted(
                conversation_id,
                protocol.redacted_frame(conversation_id=conversation_id, seq=earlier_seq, body=new_body),
                internal=is_internal,
            )
    if masked[-1] != body:
        Message.objects.filter(conversation_id=conversation_id, seq=seq).update(body=masked[-1])
    return masked[-1]


def mask_stored_messages(conversation_id: int) -> int:
    """Mask a conversation's stored messages as post_message masks new ones (each alone, then with
    the same sender's previous ones: mask_card_over_messages' rule, FOLLOW_UP_SECONDS counted from
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
