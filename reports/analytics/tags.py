"""How many of a client's chats carry each of its tags (chats.teamwork), over a period."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q

from chats.teamwork.models import Tag


def tag_counts(*, client_id: int, start: datetime, end: datetime) -> list[dict]:
    """Every tag of the client with the number of its chats requested in [start, end), most used first
    (one query)."""
    in_period = Q(conversations__requested_at__gte=start, conversations__requested_at__lt=end)
    tags = (
        Tag.objects.filter(client_id=client_id)
        .annotate(conversations_count=Count("conversations", filter=in_period))
        .order_by("-conversations_count", "name")
    )
    return [{"tag": tag.name, "conversations": tag.conversations_count} for tag in tags]
