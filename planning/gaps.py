"""Staffing gaps of a client for the coming week: covered hours that shifts do not serve.

Two kinds of gap, hour by hour (hours start on the hour, in UTC):
- unstaffed: minutes the client is covered and no scheduled agent works for it;
- understaffed: the scheduled agents' total concurrency (sum of their
  max_concurrent_chats) is below the expected load. The expected load of an
  hour is the planner's: the chats planning.forecast expects in it × the
  client's measured chat length (assigned → closed, over the last 2 weeks;
  without closed chats, STAFFING_AVERAGE_HANDLE_MINUTES of work shared at
  CHAT_DEFAULT_MAX_CONCURRENT), i.e. chats in progress at once (Little's law).
  Without any chat in the forecast's history (HISTORY_WEEKS, 8 weeks) the load
  is unknown and only unstaffed minutes count.

A shift works for a client by planning.roster's rule, the planner's: it names the
client, or names a team and its agent serves the client; an agent on two such
shifts at once counts once.

For people, consecutive gap hours of the same kind on the same local day are
grouped into ranges ("Mon 08:00–14:00: no agent scheduled").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients import coverage
from clients.models import Client
from planning.forecast import HOUR, overlap_seconds
from planning.planner import load_inputs
from planning.roster import Roster


@dataclass(frozen=True, slots=True)
class GapHour:
    starts_at: datetime
    covered_minutes: int
    unstaffed_minutes: int
    capacity: int
    expected_load: float | None

    @property
    def is_understaffed(self) -> bool:
        return self.expected_load is not None and self.capacity < self.expected_load

    @property
    def kind(self) -> str:
        if self.unstaffed_minutes == self.covered_minutes:
            return NO_AGENT
        return PARTLY_UNSTAFFED if self.unstaffed_minutes else UNDERSTAFFED


NO_AGENT, PARTLY_UNSTAFFED, UNDERSTAFFED = "no_agent", "partly_unstaffed", "understaffed"
GAP_KIND_LABELS = {
    NO_AGENT: _("no agent scheduled"),
    PARTLY_UNSTAFFED: _("no agent scheduled for part of the time"),
    UNDERSTAFFED: _("fewer chats at once than expected"),
}


@dataclass(frozen=True, slots=True)
class GapRange:
    """Consecutive gap hours of one kind within one local day."""

    kind: str
    hours: tuple[GapHour, ...]
    ends_at_midnight: bool  # in the client's timezone: shown as 24:00

    @property
    def starts_at(self) -> datetime:
        return self.hours[0].starts_at

    @property
    def ends_at(self) -> datetime:
        return self.hours[-1].starts_at + timedelta(hours=1)

    @property
    def label(self) -> str:
        return GAP_KIND_LABELS[self.kind]

    @property
    def unstaffed_minutes(self) -> int:
        return sum(hour.unstaffed_minutes for hour in self.hours)

    @property
    def capacities(self) -> tuple[int, int]:
        return min(hour.capacity for hour in self.hours), max(hour.capacity for hour in self.hours)

    @property
    def peak_expected_load(self) -> float | None:
        loads = [hour.expected_load for hour in self.hours if hour.expected_load is not None]
        return max(loads) if loads else None


def group_gap_hours(hours: list[GapHour], zone: ZoneInfo) -> list[GapRange]:
    """Ranges of back-to-back hours of the same kind, never across the client's midnight."""
    groups: list[list[GapHour]] = []
    for hour in hours:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.kind == hour.kind
            and hour.starts_at - last.starts_at == timedelta(hours=1)
            and hour.starts_at.astimezone(zone).date() == last.starts_at.astimezone(zone).date()
        ):
            groups[-1].append(hour)
        else:
            groups.append([hour])
    ranges = []
    for group in groups:
        end = (group[-1].starts_at + timedelta(hours=1)).astimezone(zone)
        ranges.append(GapRange(group[0].kind, tuple(group), end.date() != group[0].starts_at.astimezone(zone).date()))
    return ranges


@dataclass(frozen=True, slots=True)
class StaffingGaps:
    starts_at: datetime
    unstaffed_hours: float
    understaffed_hours: int
    hours: list[GapHour]  # only the hours with a gap, in order
    has_history: bool
    ranges: list[GapRange]  # the same hours grouped for reading


def _overlap_minutes(start: datetime, end: datetime, intervals: list[tuple[datetime, datetime]]) -> int:
    return round(overlap_seconds(start, end, intervals) / 60)


def _merge(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def coverage_gaps(client: Client, *, start: datetime | None = None, days: int = 7) -> StaffingGaps:
    """The unstaffed and understaffed covered hours of the coming `days` days, read from the planner's
    inputs for the client: its forecast, its measured handling and the roster."""
    inputs = load_inputs([client], start=start or timezone.now(), days=days)
    forecast, handling = inputs.forecasts[client.pk], inputs.handling[client.pk]
    covered = coverage.covered_intervals(client, inputs.start, inputs.start + inputs.hours * HOUR)
    staffed = _merge([(begins, ends) for begins, ends, _ in inputs.roster.shifts_for(client.pk)])
    gaps: list[GapHour] = []
    for offset in range(inputs.hours):
        expected = handling.chats_at_once(forecast.expected[offset]) if forecast.has_history else None
        gap = gap_hour(inputs.start + offset * HOUR, covered, staffed, inputs.roster, client.pk, expected)
        if gap is not None:
            gaps.append(gap)
    return StaffingGaps(
        starts_at=inputs.start,
        unstaffed_hours=round(sum(g.unstaffed_minutes for g in gaps) / 60, 2),
        understaffed_hours=sum(1 for g in gaps if g.is_understaffed),
        hours=gaps,
        has_history=forecast.has_history,
        ranges=group_gap_hours(gaps, ZoneInfo(client.timezone)),
    )


def gap_hour(
    hour: datetime,
    covered: list[tuple[datetime, datetime]],
    staffed: list[tuple[datetime, datetime]],
    roster: Roster,
    client_id: int,
    expected_load: float | None,
) -> GapHour | None:
    """The hour from `hour` if it is covered and unstaffed for some minutes, or below the expected load.
    Its capacity: the max chats at once of the agents whose shift works for the client at its middle."""
    following = hour + timedelta(hours=1)
    covered_minutes = _overlap_minutes(hour, following, covered)
    if not covered_minutes:
        return None
    covered_here = [(max(s, hour), min(e, following)) for s, e in covered if s < following and e > hour]
    staffed_minutes = sum(_overlap_minutes(s, e, staffed) for s, e in covered_here)
    agents = roster.agents_working_for(roster.on_shift(hour + timedelta(minutes=30)), client_id)
    capacity = sum(roster.concurrency.get(agent, 0) for agent in agents)
    gap = GapHour(hour, covered_minutes, covered_minutes - staffed_minutes, capacity, expected_load)
    return gap if gap.unstaffed_minutes or gap.is_understaffed else None
