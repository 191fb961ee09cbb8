"""Chats placed at chosen instants, for the staffing specs (forecast, planner, billing)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection

from chats.models import Conversation, ConversationStatus, Visitor


def add_chats(
    client,
    moments: list[datetime],
    *,
    agent=None,
    length_seconds: float | None = None,
    first_reply_seconds: float | None = 5,
    status: str = ConversationStatus.CLOSED,
) -> list[int]:
    """One chat per instant: requested then, answered `first_reply_seconds` later (None: never),
    closed `length_seconds` after it was assigned (None: still open). Returns the ids."""
    if not moments:
        return []
    visitor = Visitor.objects.create(client=client, name="History")
    chats = Conversation.objects.bulk_create(
        [Conversation(client=client, visitor=visitor, agent=agent, status=status, token_hash="x") for _ in moments]
    )
    rows = []
    for chat, moment in zip(chats, moments, strict=True):
        answered = moment + timedelta(seconds=first_reply_seconds) if first_reply_seconds is not None else None
        closed = answered + timedelta(seconds=length_seconds) if answered and length_seconds else None
        rows.append((chat.pk, moment, answered, answered, closed))
    with connection.cursor() as cursor:
        values = ", ".join(["(%s, %s::timestamptz, %s::timestamptz, %s::timestamptz, %s::timestamptz)"] * len(rows))
        cursor.execute(
            f"UPDATE chats_conversation AS c SET requested_at = v.requested, assigned_at = v.assigned, "  # noqa: S608
            f"first_response_at = v.answered, closed_at = v.closed "
            f"FROM (VALUES {values}) AS v(id, requested, assigned, answered, closed) WHERE c.id = v.id",
            [value for row in rows for value in row],
        )
    return [chat.pk for chat in chats]


def weekly(start: datetime, weeks: int, per_week) -> list[datetime]:
    """`per_week(week)` → list of offsets (timedelta from that week's start); every week before `start`."""
    moments = []
    for week in range(weeks, 0, -1):
        begins = start - timedelta(weeks=week)
        moments.extend(begins + offset for offset in per_week(weeks - week))
    return moments
