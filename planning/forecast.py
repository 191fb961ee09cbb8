"""Expected chats per hour of the coming weeks per client, from its own history.

- Profile: the average chats of each (weekday, hour) of the client's local week over
  the last HISTORY_WEEKS weeks, leaving out the days that were not ordinary: public
  holidays of the client's calendar, dates with a coverage exception, and days
  before its first chat.
- Trend: a least-squares line through those weeks' totals (each scaled up for the
  days left out), projected to the forecast week, as a factor on the profile,
  kept within TREND_LIMITS and used only with MIN_TREND_WEEKS weeks of history.
- The forecast hour then gets the share of it the client is covered (a closed
  holiday or exception ahead forecasts nothing).
- Error: each of the last BACKTEST_WEEKS weeks forecast from the weeks before it,
  against what came: MAPE over the hours that had chats.

Handle time and chats at once are measured from the same history (`measure_handling`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count
from django.db.models.functions import TruncHour

from chats.models import Conversation
from clients import coverage, holiday_calendar
from clients.models import Client, CoverageException
from core.erlang import MAX_CONCURRENCY, effective_concurrency
from reports.analytics.aggregates import SecondsBetween

HISTORY_WEEKS = 8
BACKTEST_WEEKS = 4
MIN_TREND_WEEKS = 4
TREND_LIMITS = (0.5, 1.5)
WEEK = timedelta(weeks=1)
HOUR = timedelta(hours=1)


def hour_floor(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


HOURLY_COUNTS_SQL = """
    SELECT client_id, floor(extract(epoch FROM requested_at) / 3600)::bigint AS hour, count(*)
    FROM chats_conversation
    WHERE client_id = ANY(%s) AND requested_at >= %s AND requested_at < %s
    GROUP BY 1, 2"""


def hourly_counts(client_ids: list[int], start: datetime, end: datetime) -> dict[int, dict[datetime, int]]:
    """{client id: {UTC hour: chats requested}} in one query (whole hours as numbers on PostgreSQL:
    turning thousands of rows into aware datetimes through the ORM costs more than the query)."""
    counts: dict[int, dict[datetime, int]] = defaultdict(dict)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(HOURLY_COUNTS_SQL, [client_ids, start, end])
            for client_id, hour, count in cursor.fetchall():
                counts[client_id][datetime.fromtimestamp(hour * 3600, UTC)] = count
        return counts
    rows = (
        Conversation.objects.filter(client_id__in=client_ids, requested_at__gte=start, requested_at__lt=end)
        .annotate(hour=TruncHour("requested_at", tzinfo=UTC))
        .values("client_id", "hour")
        .annotate(count=Count("pk"))
        .values_list("client_id", "hour", "count")
    )
    for client_id, hour, count in rows:
        counts[client_id][hour.astimezone(UTC)] = count
    return counts


def unusual_days(client: Client, first: date, last: date, exception_dates: set[date]) -> set[date]:
    """Local dates left out of the history: public holidays and the client's exception dates."""
    days = {day for day in exception_dates if first <= day <= last}
    day = first
    while day <= last:
        if holiday_calendar.is_holiday(client.holiday_country, client.holiday_region, day):
            days.add(day)
        day += timedelta(days=1)
    return days


@dataclass(slots=True)
class History:
    """One client's hourly chats before `until`, and the days that do not count."""

    zone: ZoneInfo
    counts: dict[datetime, int]
    excluded: set[date]
    first_chat: datetime | None
    first_day: date | None = None

    def __post_init__(self) -> None:
        self.first_day = self.first_chat.astimezone(self.zone).date() if self.first_chat else None

    def is_usable(self, hour: datetime, local: datetime | None = None) -> bool:
        day = (local or hour.astimezone(self.zone)).date()
        return self.first_day is not None and day >= self.first_day and day not in self.excluded


def usable_hours(history: History, until: datetime, weeks: int) -> list[list[tuple[tuple[int, int], int]]]:
    """Per week before `until` (oldest first): ((weekday, hour), chats) of its usable hours."""
    found = []
    for week in range(weeks):
        begins = until - (weeks - week) * WEEK
        rows = []
        for offset in range(168):
            hour = begins + offset * HOUR
            local = hour.astimezone(history.zone)
            if history.is_usable(hour, local):
                rows.append(((local.weekday(), local.hour), history.counts.get(hour, 0)))
        found.append(rows)
    return found


def profile_and_trend(
    history: History, until: datetime, weeks: int = HISTORY_WEEKS
) -> tuple[dict[tuple[int, int], float], tuple[float, float] | None]:
    """The (weekday, hour) averages of the `weeks` weeks before `until`, and the line (intercept,
    slope per week; x = weeks after the first) through each week's chats over what the averages
    expected of its usable hours, when enough weeks have a day or more of history."""
    hours = usable_hours(history, until, weeks)
    sums: dict[tuple[int, int], float] = defaultdict(float)
    seen: dict[tuple[int, int], int] = defaultdict(int)
    for rows in hours:
        for key, count in rows:
            sums[key] += count
            seen[key] += 1
    profile = {key: sums[key] / seen[key] for key in seen}
    ratios = []
    for week, rows in enumerate(hours):
        expected = sum(profile[key] for key, _ in rows)
        if len(rows) >= 24 and expected > 0:
            ratios.append((week, sum(count for _, count in rows) / expected))
    line = None
    if len(ratios) >= MIN_TREND_WEEKS:
        mean_x = sum(x for x, _ in ratios) / len(ratios)
        mean_y = sum(y for _, y in ratios) / len(ratios)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in ratios) / sum((x - mean_x) ** 2 for x, _ in ratios)
        line = (mean_y - slope * mean_x, slope)
    return profile, line


def trend_factor(line: tuple[float, float] | None, weeks_ahead: int, weeks: int = HISTORY_WEEKS) -> float:
    """How much busier week `weeks_ahead` (0: the first after the history) is than the history's average."""
    if line is None:
        return 1.0
    intercept, slope = line
    average = intercept + slope * (weeks - 1) / 2
    if average <= 0:
        return 1.0
    projected = intercept + slope * (weeks + weeks_ahead)
    return min(max(projected / average, TREND_LIMITS[0]), TREND_LIMITS[1])


def forecast_hours(
    history: History, covered: list[tuple[datetime, datetime]], start: datetime, hours: int
) -> list[float]:
    """Expected chats of each hour from `start` (the first hour after the history)."""
    profile, line = profile_and_trend(history, start)
    expected = []
    for offset in range(hours):
        hour = start + offset * HOUR
        share = overlap_seconds(hour, hour + HOUR, covered) / 3600
        local = hour.astimezone(history.zone)
        factor = trend_factor(line, offset // 168)
        expected.append(profile.get((local.weekday(), local.hour), 0.0) * factor * share)
    return expected


def overlap_seconds(start: datetime, end: datetime, intervals: list[tuple[datetime, datetime]]) -> float:
    return sum(max((min(end, e) - max(start, s)).total_seconds(), 0) for s, e in intervals)


@dataclass(slots=True)
class Backtest:
    week_starts_at: datetime
    forecast_chats: float
    actual_chats: int
    mape: float | None  # over the hours that had chats; None when none had


@dataclass(slots=True)
class ClientForecast:
    client: Client
    starts_at: datetime
    expected: list[float]  # per hour from starts_at
    backtests: list[Backtest] = field(default_factory=list)
    has_history: bool = True  # False: no chats in the HISTORY_WEEKS before starts_at, the zeros are not known

    @property
    def mape(self) -> float | None:
        values = [test.mape for test in self.backtests if test.mape is not None]
        return sum(values) / len(values) if values else None


def backtest(history: History, covered: list[tuple[datetime, datetime]], week_start: datetime) -> Backtest:
    predicted = forecast_hours(history, covered, week_start, 168)
    errors, actual_total = [], 0
    for offset, forecast in enumerate(predicted):
        hour = week_start + offset * HOUR
        actual = history.counts.get(hour, 0)
        actual_total += actual
        if actual and history.is_usable(hour):
            errors.append(abs(actual - forecast) / actual)
    return Backtest(week_start, round(sum(predicted), 1), actual_total, sum(errors) / len(errors) if errors else None)


def load_histories(clients: list[Client], start: datetime, weeks: int) -> dict[int, History]:
    """Every client's history for `weeks` weeks before `start`, in three queries."""
    since = start - weeks * WEEK
    counts = hourly_counts([client.pk for client in clients], since, start)
    exceptions: dict[int, set[date]] = defaultdict(set)
    for client_id, day in CoverageException.objects.filter(
        client__in=clients, date__gte=(since - timedelta(days=1)).date(), date__lte=start.date() + timedelta(days=1)
    ).values_list("client_id", "date"):
        exceptions[client_id].add(day)
    histories = {}
    for client in clients:
        zone = ZoneInfo(client.timezone)
        own = counts.get(client.pk, {})
        first, last = since.astimezone(zone).date(), start.astimezone(zone).date()
        histories[client.pk] = History(
            zone, own, unusual_days(client, first, last, exceptions[client.pk]), min(own) if own else None
        )
    return histories


def forecast_clients(
    clients: list[Client], *, start: datetime, weeks: int = 4, with_backtests: bool = True
) -> dict[int, ClientForecast]:
    """Each client's expected chats per hour for `weeks` weeks from `start`, with past weeks' errors."""
    start = hour_floor(start)
    back = BACKTEST_WEEKS if with_backtests else 0
    histories = load_histories(clients, start, HISTORY_WEEKS + back)
    forecasts = {}
    for client in clients:
        history = histories[client.pk]
        covered = coverage.covered_intervals(client, start - back * WEEK, start + weeks * WEEK)
        expected = forecast_hours(history, covered, start, weeks * 168)
        result = ClientForecast(client, start, expected, has_history=history.first_chat is not None)
        for week in range(back, 0, -1):
            result.backtests.append(backtest(history, covered, start - week * WEEK))
        forecasts[client.pk] = result
    return forecasts


@dataclass(frozen=True, slots=True)
class Handling:
    """How long a client's chats take and how many an agent holds at once, measured or assumed."""

    chat_seconds: float  # average assigned → closed: a chat's length as it was shared
    concurrency: int  # chats an agent holds at once
    is_measured: bool

    @property
    def handle_seconds(self) -> float:
        """The work of one chat at an agent's full attention (core.erlang's handle time)."""
        return self.chat_seconds * effective_concurrency(self.concurrency) / self.concurrency

    def chats_at_once(self, chats_per_hour: float) -> float:
        """Chats in progress at once for that many chats an hour (Little's law: arrivals × a chat's length)."""
        return chats_per_hour * self.chat_seconds / 3600


def default_handling() -> Handling:
    concurrency = settings.CHAT_DEFAULT_MAX_CONCURRENT
    work = settings.STAFFING_AVERAGE_HANDLE_MINUTES * 60
    return Handling(work * concurrency / effective_concurrency(concurrency), concurrency, False)


# Per client: the agents' chat seconds and the seconds they had at least one chat of it (the union of
# each agent's chat intervals: "gaps and islands" with window functions).
HELD_SQL = """
    WITH spans AS (
        SELECT client_id, agent_id, assigned_at AS begins, closed_at AS ends,
               max(closed_at) OVER (PARTITION BY client_id, agent_id ORDER BY assigned_at, closed_at
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
        FROM chats_conversation
        WHERE client_id = ANY(%s) AND requested_at >= %s AND requested_at < %s
          AND agent_id IS NOT NULL AND closed_at > assigned_at
    ), islands AS (
        SELECT client_id, agent_id, begins, ends,
               count(*) FILTER (WHERE previous_end IS NULL OR begins > previous_end)
                   OVER (PARTITION BY client_id, agent_id ORDER BY begins, ends) AS island
        FROM spans
    ), busy AS (
        SELECT client_id, sum(extract(epoch FROM ends - begins)) AS chat_seconds,
               extract(epoch FROM max(ends) - min(begins)) AS busy_seconds
        FROM islands GROUP BY client_id, agent_id, island
    )
    SELECT client_id, sum(chat_seconds)::float, sum(busy_seconds)::float FROM busy GROUP BY client_id"""


def held_seconds(client_ids: list[int], since: datetime, until: datetime) -> dict[int, tuple[float, float]]:
    """{client id: (chat seconds, seconds its agents had at least one of its chats)}."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(HELD_SQL, [client_ids, since, until])
            return {client_id: (chat, busy) for client_id, chat, busy in cursor.fetchall()}
    intervals: dict[tuple[int, int], list[tuple[datetime, datetime]]] = defaultdict(list)
    for client_id, agent_id, begins, ends in (
        Conversation.objects.filter(
            client_id__in=client_ids,
            requested_at__gte=since,
            requested_at__lt=until,
            closed_at__isnull=False,
            assigned_at__isnull=False,
            agent__isnull=False,
        )
        .values_list("client_id", "agent_id", "assigned_at", "closed_at")
        .iterator()
    ):
        if ends > begins:
            intervals[(client_id, agent_id)].append((begins, ends))
    held: dict[int, tuple[float, float]] = {}
    for (client_id, _agent), spans in intervals.items():
        chat, busy = held.get(client_id, (0.0, 0.0))
        held[client_id] = (chat + sum((e - b).total_seconds() for b, e in spans), busy + union_seconds(spans))
    return held


def measure_handling(client_ids: list[int], *, since: datetime, until: datetime) -> dict[int, Handling]:
    """Per client: the average chat length and the chats its agents held at once (the sum of the
    chats' lengths over the time each agent had at least one), from the closed chats in the period."""
    lengths = dict(
        Conversation.objects.filter(
            client_id__in=client_ids,
            requested_at__gte=since,
            requested_at__lt=until,
            closed_at__isnull=False,
            assigned_at__isnull=False,
        )
        .values("client_id")
        .annotate(seconds=Avg(SecondsBetween("assigned_at", "closed_at")))
        .values_list("client_id", "seconds")
    )
    held = held_seconds([client_id for client_id, seconds in lengths.items() if seconds], since, until)
    fallback = default_handling()
    measured = {}
    for client_id in client_ids:
        seconds = lengths.get(client_id)
        if not seconds:
            measured[client_id] = fallback
            continue
        chat, busy = held.get(client_id, (0.0, 0.0))
        concurrency = max(1, min(MAX_CONCURRENCY, math.floor(chat / busy + 0.5))) if busy else fallback.concurrency
        measured[client_id] = Handling(float(seconds), concurrency, True)
    return measured


def union_seconds(spans: list[tuple[datetime, datetime]]) -> float:
    total, current = 0.0, None
    for begins, ends in sorted(spans):
        if current and begins <= current[1]:
            current = (current[0], max(current[1], ends))
            continue
        if current:
            total += (current[1] - current[0]).total_seconds()
        current = (begins, ends)
    if current:
        total += (current[1] - current[0]).total_seconds()
    return total
