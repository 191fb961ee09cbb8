"""Analytics selectors: service levels of a client or of agents over a period, computed in the database.

Definitions shared by every figure (and by the portal's conversation list, so each
number can be traced to the chats it counts):

- A chat counts in a period when it was *requested* in [start, end).
- queue_wait: requested → assigned; first_response: requested → first agent reply;
  duration: assigned → closed. Seconds; chats without both ends are left out.
- answered_within_sla_share: chats whose first response came within the client's
  `sla_target_seconds`, over *all* chats counted (missed or unanswered ones fail);
  sla_target_met: that share reaches the client's `sla_target_share` (e.g. 90 %), not 100 %.
- messages: every message in those chats' transcripts, system lines ("Ana joined")
  included: the sum of `Conversation.last_seq` (seqs have no gaps), so counting
  needs no scan of the message table.
- avg_simultaneous_chats: the sum of the chats' durations over the period's length:
  the average number of these chats open at any moment (Little's law). Relevo keeps
  no history of presence, so for an agent the period includes time off shift;
  compare agents over the same period.

Percentiles are PostgreSQL's percentile_cont. On SQLite (embedded use only) the
percentile columns are read sorted and interpolated the same way in Python:
exact, but slower on big periods; averages and counts stay in SQL there too.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connections
from django.db.models import Avg, Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.db.models.lookups import LessThanOrEqual

from agency.models import Agent
from chats.models import Conversation, ConversationStatus
from clients.models import Client
from reports.analytics.aggregates import Percentile, SecondsBetween, percentile_cont

MEASURES = {
    "queue_wait": SecondsBetween("requested_at", "assigned_at"),
    "first_response": SecondsBetween("requested_at", "first_response_at"),
    "duration": SecondsBetween("assigned_at", "closed_at"),
}
PERCENTILE_MEASURES = ("queue_wait", "first_response")
FRACTIONS = {"p50": 0.5, "p90": 0.9}


def conversations_requested(*, start: datetime, end: datetime) -> QuerySet[Conversation]:
    """Chats requested in [start, end), with their measures as aliases (`queue_wait_seconds`…)."""
    return Conversation.objects.filter(requested_at__gte=start, requested_at__lt=end).alias(
        **{f"{name}_seconds": expression for name, expression in MEASURES.items()}
    )


def within_sla(sla_target) -> LessThanOrEqual:
    return LessThanOrEqual(MEASURES["first_response"], sla_target)


def kpi_aggregates(*, sla_target, with_percentiles: bool) -> dict:
    aggregates = {
        "chats": Count("pk"),
        "missed": Count("pk", filter=Q(status=ConversationStatus.MISSED)),
        "within_sla": Count("pk", filter=within_sla(sla_target)),
        "messages": Sum("last_seq"),
        "duration_sum": Sum(MEASURES["duration"]),
        **{f"{name}_avg": Avg(expression) for name, expression in MEASURES.items()},
    }
    if with_percentiles:
        for name in PERCENTILE_MEASURES:
            for key, fraction in FRACTIONS.items():
                aggregates[f"{name}_{key}"] = Percentile(MEASURES[name], fraction)
    return aggregates


def has_percentiles(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def sorted_measures_by_group(queryset: QuerySet, group: str | None) -> dict:
    """SQLite fallback: {(group value, measure): sorted seconds} read in one query per measure."""
    found: dict = defaultdict(list)
    for name in PERCENTILE_MEASURES:
        rows = queryset.annotate(seconds=MEASURES[name]).filter(seconds__isnull=False).order_by("seconds")
        for key, seconds in rows.values_list(group or Value(None, output_field=IntegerField()), "seconds"):
            found[(key, name)].append(seconds)
    return found


def add_fallback_percentiles(row: dict, ordered: dict, key) -> None:
    for name in PERCENTILE_MEASURES:
        for label, fraction in FRACTIONS.items():
            row[f"{name}_{label}"] = percentile_cont(ordered.get((key, name), []), fraction)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def shape_kpis(
    row: dict, *, sla_target_seconds: int | None, period: timedelta, sla_target_share: float | None = None
) -> dict:
    """The public KPI dict from one aggregate row. `sla_target_share` (a fraction) is the client's
    promise, e.g. 0.9 of the chats within `sla_target_seconds`; `sla_target_met` compares with it."""
    chats = row["chats"]
    within = share(row["within_sla"], chats)
    return {
        "chats": chats,
        "missed": row["missed"],
        "missed_share": share(row["missed"], chats),
        **{
            name: {
                "avg": rounded(row[f"{name}_avg"]),
                "p50": rounded(row[f"{name}_p50"]),
                "p90": rounded(row[f"{name}_p90"]),
            }
            for name in PERCENTILE_MEASURES
        },
        "sla_target_seconds": sla_target_seconds,
        "sla_target_share": sla_target_share,
        "answered_within_sla_share": within,
        "sla_target_met": None if within is None or sla_target_share is None else within >= sla_target_share,
        "duration": {"avg": rounded(row["duration_avg"])},
        "messages": row["messages"] or 0,
        "avg_simultaneous_chats": rounded((row["duration_sum"] or 0) / period.total_seconds()),
    }


def client_kpis(*, client_id: int, start: datetime, end: datetime) -> dict:
    """One client's service levels for chats requested in [start, end) (two queries)."""
    sla_target, sla_percent = (
        Client.objects.filter(pk=client_id).values_list("sla_target_seconds", "sla_target_share").get()
    )
    conversations = conversations_requested(start=start, end=end).filter(client_id=client_id)
    percentiles = has_percentiles(conversations)
    row = conversations.aggregate(**kpi_aggregates(sla_target=Value(sla_target), with_percentiles=percentiles))
    if not percentiles:
        add_fallback_percentiles(row, sorted_measures_by_group(conversations, None), None)
    return shape_kpis(row, sla_target_seconds=sla_target, sla_target_share=sla_percent / 100, period=end - start)


def agent_kpis(*, start: datetime, end: datetime, client_ids: list[int] | None = None) -> list[dict]:
    """Each agent's service levels for the chats assigned to them and requested in [start, end).

    Agents who serve one of `client_ids` (every agent when None) appear even with no
    chats. Each chat is held to its own client's SLA target, so `sla_target_seconds`
    is None. Two queries, whatever the number of agents.
    """
    conversations = conversations_requested(start=start, end=end).filter(agent__isnull=False)
    agents = Agent.objects.select_related("user").order_by("user__first_name", "user__username")
    if client_ids is not None:
        conversations = conversations.filter(client_id__in=client_ids)
    rows = kpi_rows_by_agent(conversations)
    if client_ids is not None:
        agents = agents.filter(Q(clients__in=client_ids) | Q(pk__in=list(rows))).distinct()
    return [
        {
            "agent_id": agent.pk,
            "name": agent.display_name,
            **shape_kpis(rows.get(agent.pk, NO_CHATS_ROW), sla_target_seconds=None, period=end - start),
        }
        for agent in agents
    ]


def kpi_rows_by_agent(conversations: QuerySet[Conversation]) -> dict[int, dict]:
    """{agent id: aggregate row} over these chats, each chat held to its own client's SLA target."""
    percentiles = has_percentiles(conversations)
    rows = {
        row["agent_id"]: row
        for row in conversations.values("agent_id")
        .annotate(**kpi_aggregates(sla_target=F("client__sla_target_seconds"), with_percentiles=percentiles))
        .order_by()
    }
    if not percentiles:
        ordered = sorted_measures_by_group(conversations, "agent_id")
        for agent_id, row in rows.items():
            add_fallback_percentiles(row, ordered, agent_id)
    return rows


# The aggregate row of an agent with no chats in the period: counts are 0, measures unknown.
NO_CHATS_ROW = {
    **{key: 0 for key in ("chats", "missed", "within_sla", "messages")},
    **{
        key: None
        for key in (
            "duration_sum",
            "duration_avg",
            "queue_wait_avg",
            "first_response_avg",
            "queue_wait_p50",
            "queue_wait_p90",
            "first_response_p50",
            "first_response_p90",
        )
    },
}


def volume_heatmap(*, client_id: int, start: datetime, end: datetime) -> list[list[int]]:
    """Chats requested per weekday (Mon..Sun) and hour (0..23) of the client's local time."""
    tz = zoneinfo.ZoneInfo(Client.objects.filter(pk=client_id).values_list("timezone", flat=True).get())
    cells = (
        conversations_requested(start=start, end=end)
        .filter(client_id=client_id)
        .annotate(weekday=ExtractIsoWeekDay("requested_at", tzinfo=tz), hour=ExtractHour("requested_at", tzinfo=tz))
        .values("weekday", "hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    grid = [[0] * 24 for _ in range(7)]
    for cell in cells:
        grid[cell["weekday"] - 1][cell["hour"]] = cell["n"]
    return grid


def daily_trend(*, client_id: int, start: datetime, end: datetime, tz: zoneinfo.ZoneInfo) -> list[dict]:
    """Per local day of the period: chats requested and the first response p50 (seconds)."""
    conversations = conversations_requested(start=start, end=end).filter(client_id=client_id)
    percentiles = has_percentiles(conversations)
    extra = {"first_response_p50": Percentile(MEASURES["first_response"], 0.5)} if percentiles else {}
    days = {
        row["day"]: row
        for row in conversations.annotate(day=TruncDate("requested_at", tzinfo=tz))
        .values("day")
        .annotate(chats=Count("pk"), **extra)
        .order_by()
    }
    if not percentiles:
        ordered = defaultdict(list)
        for day, seconds in (
            conversations.annotate(day=TruncDate("requested_at", tzinfo=tz), seconds=MEASURES["first_response"])
            .filter(seconds__isnull=False)
            .order_by("seconds")
            .values_list("day", "seconds")
        ):
            ordered[day].append(seconds)
        for day, row in days.items():
            row["first_response_p50"] = percentile_cont(ordered[day], 0.5)
    first, last = start.astimezone(tz).date(), (end - timedelta(microseconds=1)).astimezone(tz).date()
    trend = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        row = days.get(day, {})
        trend.append(
            {"day": day, "chats": row.get("chats", 0), "first_response_p50": rounded(row.get("first_response_p50"))}
        )
    return trend


@dataclass(frozen=True, slots=True)
class Period:
    """Whole local days `since`..`until` (inclusive) of a timezone, as [start, end)."""

    since: date
    until: date
    tz: zoneinfo.ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time(0), self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.until + timedelta(days=1), time(0), self.tz)


# What each dashboard figure counts, by the `measure` of the conversation list.
COUNTED_BY_MEASURE = {
    "missed": lambda q: q.filter(status=ConversationStatus.MISSED),
    "within_sla": lambda q: q.filter(within_sla(F("client__sla_target_seconds"))),
    "outside_sla": lambda q: q.filter(
        Q(first_response_seconds__isnull=True) | Q(first_response_seconds__gt=F("client__sla_target_seconds"))
    ),
    "queue_wait": lambda q: q.filter(queue_wait_seconds__isnull=False),
    "first_response": lambda q: q.filter(first_response_seconds__isnull=False),
    "duration": lambda q: q.filter(duration_seconds__isnull=False),
}


def conversations_counted(
    *, client_id: int, period: Period, measure: str = "", weekday: int | None = None, hour: int | None = None
) -> QuerySet[Conversation]:
    """The chats behind one dashboard figure: the period's chats, narrowed by `measure`
    (a key of COUNTED_BY_MEASURE), local `weekday` (0 = Monday) and `hour`."""
    conversations = conversations_requested(start=period.start, end=period.end).filter(client_id=client_id)
    if measure in COUNTED_BY_MEASURE:
        conversations = COUNTED_BY_MEASURE[measure](conversations)
    if weekday is not None:
        conversations = conversations.alias(local_weekday=ExtractIsoWeekDay("requested_at", tzinfo=period.tz)).filter(
            local_weekday=weekday + 1
        )
    if hour is not None:
        conversations = conversations.alias(local_hour=ExtractHour("requested_at", tzinfo=period.tz)).filter(
            local_hour=hour
        )
    return (
        conversations.annotate(queue_wait=MEASURES["queue_wait"], first_response=MEASURES["first_response"])
        .select_related("agent__user", "visitor")
        .order_by("-requested_at")
    )
