"""Reads of the call log: a conversation's calls, and a client's call figures over a period."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from chats.calls.models import Call, CallStatus


def calls_of(conversation_id: int) -> list[Call]:
    """A conversation's calls, oldest first (the post-chat report's call log)."""
    return list(Call.objects.filter(conversation_id=conversation_id).order_by("offered_at"))


def call_figures(*, client_id: int, start: datetime, end: datetime) -> dict:
    """Calls offered in [start, end) at one client: how many were accepted, connected, and how long they ran."""
    row = Call.objects.filter(conversation__client_id=client_id, offered_at__gte=start, offered_at__lt=end).aggregate(
        offered=Count("id"),
        accepted=Count("id", filter=Q(answered_at__isnull=False) & ~Q(status=CallStatus.DECLINED)),
        declined=Count("id", filter=Q(status=CallStatus.DECLINED)),
        connected=Count("id", filter=Q(connected_at__isnull=False)),
        duration_avg=Avg(
            ExpressionWrapper(F("ended_at") - F("connected_at"), output_field=DurationField()),
            filter=Q(connected_at__isnull=False, ended_at__isnull=False),
        ),
    )
    duration = row.pop("duration_avg")
    return {
        **row,
        "avg_duration_seconds": round(duration.total_seconds(), 3) if duration is not None else None,
        "accepted_share": row["accepted"] / row["offered"] if row["offered"] else None,
    }
