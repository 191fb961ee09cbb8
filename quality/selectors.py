"""CSAT and NPS figures (reads for the portal, the API and analytics).

- A rating counts in a period when its chat was *requested* in [start, end) (as every
  analytics figure): `rated_share` is rated chats over chats an agent took in the period.
- CSAT: satisfied ratings (good on the good/bad scale, 4–5 on the 1–5 one) over all ratings.
- NPS per month of the answer, in the client's timezone: % promoters (9–10) − % detractors (0–6).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from agency.models import Agent, display_name_of
from chats.models import Conversation
from chats.ratings.models import SATISFIED, Rating
from quality.models import NpsSurvey


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def ratings_in(*, client_ids, start: datetime, end: datetime) -> QuerySet[Rating]:
    return Rating.objects.filter(
        client_id__in=client_ids, conversation__requested_at__gte=start, conversation__requested_at__lt=end
    )


def csat(*, client_ids, start: datetime, end: datetime) -> dict:
    """{"ratings", "satisfied", "csat" (%), "rated_chats_share" (%), "average_score" per scale}."""
    row = ratings_in(client_ids=client_ids, start=start, end=end).aggregate(
        ratings=Count("pk"), satisfied=Count("pk", filter=SATISFIED)
    )
    answered = Conversation.objects.filter(
        client_id__in=client_ids, requested_at__gte=start, requested_at__lt=end, agent__isnull=False
    ).count()
    return {
        "ratings": row["ratings"],
        "satisfied": row["satisfied"],
        "csat": share(row["satisfied"], row["ratings"]),
        "rated_chats_share": share(row["ratings"], answered),
    }


def csat_by_agent(*, client_ids, start: datetime, end: datetime) -> list[dict]:
    rows = (
        ratings_in(client_ids=client_ids, start=start, end=end)
        .filter(agent__isnull=False)
        .values("agent_id")
        .annotate(ratings=Count("pk"), satisfied=Count("pk", filter=SATISFIED))
        .order_by("agent_id")
    )
    agents = {a.pk: a for a in Agent.objects.filter(pk__in=[r["agent_id"] for r in rows]).select_related("user")}
    return [
        {
            "agent": row["agent_id"],
            "name": display_name_of(agents[row["agent_id"]].user),
            "ratings": row["ratings"],
            "csat": share(row["satisfied"], row["ratings"]),
        }
        for row in rows
    ]


def csat_by_month(*, client_ids, start: datetime, end: datetime, tz: zoneinfo.ZoneInfo) -> list[dict]:
    rows = (
        ratings_in(client_ids=client_ids, start=start, end=end)
        .annotate(month=TruncMonth("conversation__requested_at", tzinfo=tz))
        .values("month")
        .annotate(ratings=Count("pk"), satisfied=Count("pk", filter=SATISFIED))
        .order_by("month")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "ratings": row["ratings"],
            "csat": share(row["satisfied"], row["ratings"]),
        }
        for row in rows
    ]


def nps_by_month(*, client_id: int, start: datetime, end: datetime, tz: zoneinfo.ZoneInfo) -> list[dict]:
    """Answered surveys per month of the answer: responses, promoters, passives, detractors, nps."""
    rows = (
        NpsSurvey.objects.filter(client_id=client_id, answered_at__gte=start, answered_at__lt=end)
        .annotate(month=TruncMonth("answered_at", tzinfo=tz))
        .values("month")
        .annotate(
            responses=Count("pk"),
            promoters=Count("pk", filter=Q(score__gte=9)),
            detractors=Count("pk", filter=Q(score__lte=6)),
        )
        .order_by("month")
    )
    months = []
    for row in rows:
        responses, promoters, detractors = row["responses"], row["promoters"], row["detractors"]
        months.append(
            {
                "month": row["month"].strftime("%Y-%m"),
                "responses": responses,
                "promoters": promoters,
                "passives": responses - promoters - detractors,
                "detractors": detractors,
                "nps": round(100 * (promoters - detractors) / responses, 1),
            }
        )
    return months


def recent_ratings(*, client_id: int, limit: int = 20) -> QuerySet[Rating]:
    return (
        Rating.objects.filter(client_id=client_id)
        .select_related("agent__user", "conversation__visitor")
        .order_by("-created_at")[:limit]
    )
