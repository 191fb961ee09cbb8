"""Is a client covered at a moment, and when does its coverage next begin.

A client's coverage is built day by day in its own timezone: the day's
exceptions if it has any, else nothing on a public holiday (unless the client
works holidays), else the weekly windows of that weekday; a 24/7 client covers
every day that has no exception. A window belongs to the day it starts on and
may run past midnight. Wall-clock times become instants with these rules:
a time skipped by the spring change starts or ends at the change, and in the
autumn change a window starts at the first and ends at the second time the
clock reads its time (so no covered wall-clock minute is lost).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clients import holiday_calendar
from clients.models import Client

DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
# How far next_opening looks ahead: a client closed for longer has no next opening.
HORIZON_DAYS = 400

Interval = tuple[datetime, datetime]
MinuteWindow = tuple[int, int]  # minutes after the day's midnight; the end may pass 1440


def minute_window(starts_at: time, ends_at: time) -> MinuteWindow:
    """(08:00, 14:00) → (480, 840); an end at or before the start is on the next day."""
    start = starts_at.hour * 60 + starts_at.minute
    end = ends_at.hour * 60 + ends_at.minute
    return start, end if end > start else end + DAY_MINUTES


@dataclass(slots=True)
class Schedule:
    """Everything coverage needs about one client, read in two queries."""

    zone: ZoneInfo
    is_24_7: bool
    holiday_country: str = ""
    holiday_region: str = ""
    works_on_holidays: bool = False
    weekly: dict[int, list[MinuteWindow]] = field(default_factory=dict)
    exceptions: dict[date, list[MinuteWindow]] = field(default_factory=dict)

    @classmethod
    def load(cls, client: Client, first_day: date, last_day: date) -> Schedule:
        schedule = cls(
            zone=ZoneInfo(client.timezone),
            is_24_7=client.is_24_7,
            holiday_country=client.holiday_country,
            holiday_region=client.holiday_region,
            works_on_holidays=client.works_on_holidays,
        )
        for weekday, starts_at, ends_at in client.coverage_windows.values_list("weekday", "starts_at", "ends_at"):
            schedule.weekly.setdefault(weekday, []).append(minute_window(starts_at, ends_at))
        closed: set[date] = set()
        rows = client.coverage_exceptions.filter(date__range=(first_day, last_day))
        for day, is_closed, starts_at, ends_at in rows.values_list("date", "is_closed", "starts_at", "ends_at"):
            hours = schedule.exceptions.setdefault(day, [])
            if is_closed:
                closed.add(day)
            elif starts_at is not None and ends_at is not None:
                hours.append(minute_window(starts_at, ends_at))
        for day in closed:
            schedule.exceptions[day] = []
        return schedule

    def windows_on(self, day: date) -> list[MinuteWindow]:
        """The minute windows that start on this local date."""
        if day in self.exceptions:
            return sorted(self.exceptions[day])
        if self.is_24_7:
            return [(0, DAY_MINUTES)]
        if not self.works_on_holidays and holiday_calendar.is_holiday(self.holiday_country, self.holiday_region, day):
            return []
        return sorted(self.weekly.get(day.weekday(), []))

    def intervals_from(self, first_day: date, last_day: date) -> Iterator[Interval]:
        """Covered instants of windows starting on these days, merged, in order."""
        current: Interval | None = None
        day = first_day
        while day <= last_day:
            midnight = datetime.combine(day, time())
            for start, end in self.windows_on(day):
                begins = earliest_instant(midnight + timedelta(minutes=start), self.zone)
                ends = latest_instant(midnight + timedelta(minutes=end), self.zone)
                if ends <= begins:
                    continue  # a window wholly inside the spring-forward gap
                if current and begins <= current[1]:
                    current = (current[0], max(current[1], ends))
                    continue
                if current:
                    yield current
                current = (begins, ends)
            day += timedelta(days=1)
        if current:
            yield current


def _wall_clock(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _both_readings(wall: datetime, zone: ZoneInfo) -> tuple[datetime, datetime, bool]:
    """The instants of a wall-clock time with fold 0 and 1, and whether the time exists."""
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return first, second, _wall_clock(first, zone) == wall


def _change_instant(wall: datetime, zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first instant whose clock reads `wall` or later (for a time the spring change skips)."""
    low, high = min(low, high), max(low, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _wall_clock(middle, zone) >= wall:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def earliest_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    first, second, exists = _both_readings(wall, zone)
    if not exists:
        return _change_instant(wall, zone, first, second)
    return min(first, second)


def latest_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    first, second, exists = _both_readings(wall, zone)
    if not exists:
        return _change_instant(wall, zone, first, second)
    return max(first, second)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("coverage needs an aware datetime (django.utils.timezone.now()), not a naive one")


def covered_intervals(client: Client, start: datetime, end: datetime) -> list[Interval]:
    """The covered stretches between two instants, clipped to them."""
    _require_aware(start)
    zone = ZoneInfo(client.timezone)
    first_day = _wall_clock(start, zone).date() - timedelta(days=1)
    last_day = _wall_clock(end, zone).date()
    schedule = Schedule.load(client, first_day, last_day)
    return [
        (max(begins, start), min(ends, end))
        for begins, ends in schedule.intervals_from(first_day, last_day)
        if ends > start and begins < end
    ]


def is_covered(client: Client, at: datetime) -> bool:
    """Does the agency answer this client's chats at this instant?"""
    return bool(covered_intervals(client, at, at + timedelta(microseconds=1)))


def next_opening(client: Client, after: datetime) -> datetime | None:
    """The first instant at or after `after` that is covered (`after` itself when covered);
    None when nothing is covered within HORIZON_DAYS."""
    _require_aware(after)
    zone = ZoneInfo(client.timezone)
    first_day = _wall_clock(after, zone).date() - timedelta(days=1)
    last_day = first_day + timedelta(days=HORIZON_DAYS)
    schedule = Schedule.load(client, first_day, last_day)
    for begins, ends in schedule.intervals_from(first_day, last_day):
        if ends > after:
            return max(begins, after).astimezone(UTC)
    return None


def opening_status(client: Client, now: datetime) -> tuple[bool, datetime | None]:
    """Is the client covered now, and if not, when it next opens (None: not within HORIZON_DAYS).

    The one answer to "is the client open now" for every edge that tells a visitor."""
    opening = next_opening(client, now)
    is_open = opening is not None and opening == now
    return is_open, None if is_open else opening


def overlapping_windows(windows: list[tuple[int, time, time]]) -> tuple[int, int] | None:
    """Indexes of two (weekday, start, end) windows that overlap in the week, or None.

    The week is a circle: Sunday 22:00–02:00 reaches into Monday.
    """
    spans = []
    for index, (weekday, starts_at, ends_at) in enumerate(windows):
        start, end = minute_window(starts_at, ends_at)
        begins = weekday * DAY_MINUTES + start
        spans.append((begins, begins + end - start, index))
        spans.append((begins + WEEK_MINUTES, begins + WEEK_MINUTES + end - start, index))
    spans.sort()
    for (_, first_end, first), (second_start, _, second) in zip(spans, spans[1:], strict=False):
        if second_start < first_end and first != second:
            return min(first, second), max(first, second)
    return None


def weekly_grid(client: Client) -> list[list[int]]:
    """Covered minutes of each hour of a typical week: grid[weekday][hour], Monday first."""
    if client.is_24_7:
        return [[60] * 24 for _ in range(7)]
    grid = [[0] * 24 for _ in range(7)]
    # `.all()` so a list of clients can prefetch every client's windows in one query.
    for window in client.coverage_windows.all():
        start, end = minute_window(window.starts_at, window.ends_at)
        weekday = window.weekday
        for minute in range(weekday * DAY_MINUTES + start, weekday * DAY_MINUTES + end):
            slot = minute % WEEK_MINUTES
            cell = grid[slot // DAY_MINUTES]
            cell[slot % DAY_MINUTES // 60] = min(cell[slot % DAY_MINUTES // 60] + 1, 60)
    return grid


def coverage_summary(client: Client) -> dict:
    """Weekly hours of a typical week (no holidays or exceptions) and the FTE they need."""
    grid = weekly_grid(client)
    hours = round(sum(map(sum, grid)) / 60, 2)
    per_fte = client.hours_per_fte or 40
    return {
        "is_24_7": client.is_24_7,
        "timezone": client.timezone,
        "hours_per_week": hours,
        "hours_per_fte": per_fte,
        "fte_needed": round(hours / per_fte, 2),
        "grid": grid,
    }
