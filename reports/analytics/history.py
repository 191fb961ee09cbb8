"""A realistic, made-up chat history for demos and benchmarks (manage.py generate_history).

Clients in several timezones, agents serving a few of them each, and chats spread
over months with a daily curve (quiet nights, busy late mornings and evenings) and
a weekly one (quieter weekends), all in each client's local time. Rows are written
with PostgreSQL's COPY (plain multi-row INSERTs elsewhere) and explicit ids, so run
it on a database nobody else is writing chats to.
"""

from __future__ import annotations

import random
import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from agency.models import Agent, Presence
from chats.models import Conversation, ConversationStatus, Message, SenderKind, Visitor
from clients.models import Client

TIMEZONES = [
    "Europe/Madrid",
    "Europe/Warsaw",
    "Europe/London",
    "America/New_York",
    "America/Mexico_City",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Los_Angeles",
]
# Relative volume per local hour 0..23 and per weekday Mon..Sun.
HOURLY = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 4, 6, 8, 9, 8, 7, 7, 8, 8, 9, 10, 10, 9, 7, 4, 2]
WEEKLY = [1.0, 1.05, 1.0, 0.95, 0.9, 0.6, 0.45]
PHRASES = [
    "Hello, I have a question about my order.",
    "Sure, let me check that for you.",
    "When will it be delivered?",
    "It ships tomorrow morning.",
    "Can I change the size?",
    "Of course, I have updated it.",
    "Thank you!",
    "Anything else I can help with?",
    "Do you ship to Poland?",
    "Yes, delivery takes three to five days.",
]
MISSED_SHARE = 0.05
BATCH = 5000


@dataclass(frozen=True, slots=True)
class HistorySize:
    conversations: int = 100_000
    messages_per_conversation: int = 10
    clients: int = 8
    agents: int = 24
    days: int = 180


def write_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert raw rows (ids included): COPY on PostgreSQL, executemany elsewhere."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            text = "".join("\t".join(r"\N" if value is None else str(value) for value in row) + "\n" for row in rows)
            cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", StringIO(text))
        else:
            marks = ", ".join(["%s"] * len(columns))
            # Table and column names come from the models and are quoted; values are parameters.
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def make_clients_and_agents(size: HistorySize, rng: random.Random) -> tuple[list[Client], dict[int, list[int]]]:
    """The clients and, per client id, the ids of the agents who serve it."""
    run = secrets.token_hex(3)
    clients = Client.objects.bulk_create(
        [
            Client(
                name=f"History client {n + 1}",
                slug=f"history-{run}-{n + 1}",
                timezone=TIMEZONES[n % len(TIMEZONES)],
                sla_target_seconds=rng.choice([15, 22, 30, 45]),
            )
            for n in range(size.clients)
        ]
    )
    users = [
        get_user_model()(username=f"history-{run}-agent{n + 1}", first_name=f"Agent {n + 1}")
        for n in range(size.agents)
    ]
    for user in users:
        user.set_unusable_password()
    users = get_user_model().objects.bulk_create(users)
    agents = Agent.objects.bulk_create(
        [Agent(user=user, presence=Presence.OFFLINE, max_concurrent_chats=3) for user in users]
    )
    served: dict[int, list[int]] = {client.pk: [] for client in clients}
    through = []
    for agent in agents:
        for client in rng.sample(clients, k=min(len(clients), rng.randint(2, 4))):
            served[client.pk].append(agent.pk)
            through.append(Agent.clients.through(agent_id=agent.pk, client_id=client.pk))
    for client in clients:
        if not served[client.pk]:
            served[client.pk].append(agents[0].pk)
            through.append(Agent.clients.through(agent_id=agents[0].pk, client_id=client.pk))
    Agent.clients.through.objects.bulk_create(through)
    return clients, served


def request_times(client: Client, count: int, *, end: datetime, days: int, rng: random.Random) -> list[datetime]:
    """`count` request moments over the last `days` days, seasonal in the client's local time."""
    tz = zoneinfo.ZoneInfo(client.timezone)
    local_end = end.astimezone(tz)
    first_day = local_end.date() - timedelta(days=days)
    day_list = [first_day + timedelta(days=n) for n in range(days)]
    # A slowly growing business: the latest months are busier than the first.
    day_weights = [WEEKLY[day.weekday()] * (0.7 + 0.6 * n / days) for n, day in enumerate(day_list)]
    picked_days = rng.choices(day_list, weights=day_weights, k=count)
    picked_hours = rng.choices(range(24), weights=HOURLY, k=count)
    return sorted(
        datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=tz).astimezone(UTC)
        for day, hour in zip(picked_days, picked_hours, strict=True)
    )


class ChatTimeline(NamedTuple):
    """How one made-up chat went: who served it, when, and who wrote each message when."""

    agent_id: int | None
    status: str
    assigned: datetime | None
    first_response: datetime | None
    closed: datetime
    times: list[datetime]
    senders: list[str]


def missed_timeline(requested: datetime, messages: int, rng: random.Random) -> ChatTimeline:
    """The visitor wrote a few lines and left before anyone answered."""
    gone = requested + timedelta(seconds=rng.randint(60, 240))
    times = [requested + timedelta(seconds=5 * n) for n in range(messages)]
    return ChatTimeline(None, ConversationStatus.MISSED, None, None, gone, times, [SenderKind.VISITOR] * messages)


def answered_timeline(requested: datetime, agents: list[int], messages: int, rng: random.Random) -> ChatTimeline:
    """An agent took the chat, answered, and the two took turns until it closed."""
    assigned = requested + timedelta(seconds=min(rng.expovariate(1 / 12), 600))
    first_response = assigned + timedelta(seconds=2 + rng.expovariate(1 / 9))
    closed = first_response + timedelta(seconds=30 + rng.expovariate(1 / 400))
    step = (closed - first_response) / max(messages, 1)
    times = [requested] + [first_response + step * n for n in range(messages - 1)]
    senders = [SenderKind.VISITOR if n % 2 == 0 else SenderKind.AGENT for n in range(messages)]
    return ChatTimeline(rng.choice(agents), ConversationStatus.CLOSED, assigned, first_response, closed, times, senders)


def chat_rows(
    conversation_id: int,
    visitor_id: int,
    client_id: int,
    requested: datetime,
    agents: list[int],
    messages: int,
    rng: random.Random,
) -> tuple[tuple, list[tuple], tuple]:
    """One visitor, one conversation and its messages as raw rows."""
    visitor = (visitor_id, client_id, f"Visitor {visitor_id}", "", requested)
    if rng.random() < MISSED_SHARE:
        chat = missed_timeline(requested, messages, rng)
    else:
        chat = answered_timeline(requested, agents, messages, rng)
    conversation = (
        *(conversation_id, client_id, visitor_id, chat.agent_id, chat.status, "", "", "en", messages),
        *(requested, chat.assigned, chat.first_response, chat.closed, chat.closed),
    )
    message_rows = [
        (None, conversation_id, n + 1, chat.senders[n], None, rng.choice(PHRASES), None, chat.times[n])
        for n in range(messages)
    ]
    return visitor, message_rows, conversation


VISITOR_COLUMNS = ["id", "client_id", "name", "email", "created_at"]
CONVERSATION_COLUMNS = [
    "id",
    "client_id",
    "visitor_id",
    "agent_id",
    "status",
    "token_hash",
    "page_url",
    "language",
    "last_seq",
    "requested_at",
    "assigned_at",
    "first_response_at",
    "closed_at",
    "visitor_last_seen_at",
]
MESSAGE_COLUMNS = ["id", "conversation_id", "seq", "sender", "author_id", "body", "client_id", "created_at"]


def generate_history(*, size: HistorySize, seed: int = 1, end: datetime | None = None) -> dict:
    """Create clients, agents and `size` chats; returns how many rows of each were written."""
    rng = random.Random(seed)
    clients, served = make_clients_and_agents(size, rng)
    moments = spread_requests(clients, size, end=end or timezone.now(), rng=rng)
    ids = NextIds(visitor=next_id(Visitor), conversation=next_id(Conversation), message=next_id(Message))
    written = {"clients": len(clients), "agents": sum(map(len, served.values())), "conversations": 0, "messages": 0}
    for first in range(0, len(moments), BATCH):
        visitors, conversations, messages = batch_rows(
            moments[first : first + BATCH], served, size.messages_per_conversation, ids, rng
        )
        with transaction.atomic():
            write_rows(Visitor, VISITOR_COLUMNS, visitors)
            write_rows(Conversation, CONVERSATION_COLUMNS, conversations)
            write_rows(Message, MESSAGE_COLUMNS, messages)
        written["conversations"] += len(conversations)
        written["messages"] += len(messages)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Visitor, Conversation, Message]):
            cursor.execute(sql)
    return written


def spread_requests(
    clients: list[Client], size: HistorySize, *, end: datetime, rng: random.Random
) -> list[tuple[datetime, int]]:
    """(requested at, client id) for every chat, in time order: bigger and smaller clients, seasonal times."""
    shares = [rng.uniform(0.5, 2.0) for _ in clients]
    per_client = [int(size.conversations * share / sum(shares)) for share in shares]
    per_client[0] += size.conversations - sum(per_client)
    return sorted(
        (when, client.pk)
        for client, count in zip(clients, per_client, strict=True)
        for when in request_times(client, count, end=end, days=size.days, rng=rng)
    )


@dataclass
class NextIds:
    """The explicit ids the next rows take (the rows are copied in with their ids)."""

    visitor: int
    conversation: int
    message: int


def batch_rows(
    moments: list[tuple[datetime, int]],
    served: dict[int, list[int]],
    messages_per_conversation: int,
    ids: NextIds,
    rng: random.Random,
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Visitor, conversation and message rows for one batch of requests; advances `ids` past them."""
    visitors, conversations, messages = [], [], []
    for requested, client_id in moments:
        visitor, message_rows, conversation = chat_rows(
            ids.conversation, ids.visitor, client_id, requested, served[client_id], messages_per_conversation, rng
        )
        visitors.append(visitor)
        conversations.append(conversation)
        for row in message_rows:
            messages.append((ids.message, *row[1:]))
            ids.message += 1
        ids.visitor, ids.conversation = ids.visitor + 1, ids.conversation + 1
    return visitors, conversations, messages
