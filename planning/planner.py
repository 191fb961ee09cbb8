"""The staffing planner: per client and hour, the forecast, the agents it needs and the agents scheduled.

Needed agents come from core.erlang for the forecast arrivals, the client's measured
handle time and chats at once, and its SLA (target seconds and share); a "what if"
overrides any of these for every client. Scheduled agents are the agents whose shift
covers the middle of the hour and works for the client (planning.roster's rule: the shift names
it, or names a team and the agent serves the client), as for the staffing gaps (planning.gaps).

Agency-wide, agents who serve several clients are pooled: clients that need the same
language share one queue (their arrivals add up; the pool takes the arrival-weighted
handle time, the strictest target and the fewest chats at once), so the agency needs
the sum over language pools, fewer than the sum over clients. Scheduled agents are
counted once each, and a team with a limit on simultaneous chats counts for at most
limit ÷ chats-at-once agents.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from clients.models import Client
from core.erlang import agents_needed
from planning.forecast import HOUR, ClientForecast, Handling, forecast_clients, hour_floor, measure_handling
from planning.roster import Roster

# Handle time and chats at once change slowly: two weeks of closed chats measure them.
HANDLING_HISTORY = timedelta(weeks=2)


@dataclass(frozen=True, slots=True)
class WhatIf:
    """Overrides for every client; None keeps each client's own value."""

    target_seconds: float | None = None
    service_level: float | None = None  # a share, 0..1
    handle_seconds: float | None = None
    concurrency: int | None = None


@dataclass(frozen=True, slots=True)
class PlanHour:
    starts_at: datetime
    forecast: float
    needed: int
    scheduled: int
    service_level: float  # what the needed agents give

    @property
    def gap(self) -> int:
        """Scheduled minus needed: negative is short."""
        return self.scheduled - self.needed


@dataclass(slots=True)
class ClientPlan:
    client: Client
    handling: Handling
    handle_seconds: float
    concurrency: int
    target_seconds: float
    service_level: float
    forecast: ClientForecast
    hours: list[PlanHour] = field(default_factory=list)

    @property
    def agent_hours_needed(self) -> int:
        return sum(hour.needed for hour in self.hours)

    @property
    def agent_hours_scheduled(self) -> int:
        return sum(hour.scheduled for hour in self.hours)

    @property
    def short_hours(self) -> int:
        return sum(1 for hour in self.hours if hour.gap < 0)

    @property
    def forecast_chats(self) -> float:
        return sum(hour.forecast for hour in self.hours)


@dataclass(slots=True)
class Plan:
    starts_at: datetime
    clients: list[ClientPlan]
    agency: list[PlanHour]
    what_if: WhatIf

    @property
    def agent_hours_needed(self) -> int:
        return sum(hour.needed for hour in self.agency)

    @property
    def agent_hours_scheduled(self) -> int:
        return sum(hour.scheduled for hour in self.agency)


def plan_client(
    client: Client,
    forecast: ClientForecast,
    handling: Handling,
    what_if: WhatIf,
    roster: Roster,
    working: list[list[tuple[int, int | None]]],
) -> ClientPlan:
    """`working[offset]`: the roster's agents on shift in the middle of each hour."""
    plan = ClientPlan(
        client=client,
        handling=handling,
        handle_seconds=what_if.handle_seconds or handling.handle_seconds,
        concurrency=what_if.concurrency or handling.concurrency,
        target_seconds=what_if.target_seconds or client.sla_target_seconds,
        service_level=what_if.service_level or client.sla_target_share / 100,
        forecast=forecast,
    )
    for offset, at_work in enumerate(working):
        starts_at = forecast.starts_at + offset * HOUR
        expected = forecast.expected[offset]
        staffing = agents_needed(
            arrivals_per_hour=expected,
            handle_seconds=plan.handle_seconds,
            target_seconds=plan.target_seconds,
            service_level=min(plan.service_level, 0.999),
            concurrency=plan.concurrency,
        )
        scheduled = roster.agents_for(at_work, client.pk)
        plan.hours.append(PlanHour(starts_at, expected, staffing.agents, scheduled, staffing.service_level))
    return plan


def pooled_needs(plans: list[ClientPlan], offset: int) -> tuple[float, int, float]:
    """Forecast, agents needed and their service level for one hour, pooling clients by language."""
    pools: dict[str, list[ClientPlan]] = defaultdict(list)
    for plan in plans:
        pools[plan.client.required_language].append(plan)
    forecast, needed, levels = 0.0, 0, []
    for members in pools.values():
        arrivals = sum(plan.hours[offset].forecast for plan in members)
        if arrivals <= 0:
            continue
        handle = sum(plan.hours[offset].forecast * plan.handle_seconds for plan in members) / arrivals
        staffing = agents_needed(
            arrivals_per_hour=arrivals,
            handle_seconds=handle,
            target_seconds=min(plan.target_seconds for plan in members),
            service_level=min(max(plan.service_level for plan in members), 0.999),
            concurrency=min(plan.concurrency for plan in members),
        )
        forecast += arrivals
        needed += staffing.agents
        levels.append(staffing.service_level)
    return forecast, needed, min(levels) if levels else 1.0


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """What a plan reads from the database; a "what if" re-plans from the same inputs."""

    clients: list[Client]
    start: datetime
    hours: int
    forecasts: dict[int, ClientForecast]
    handling: dict[int, Handling]
    roster: Roster


def load_inputs(
    clients: list[Client] | None = None, *, start: datetime, days: int = 7, with_backtests: bool = False
) -> PlanInputs:
    """Forecasts, measured handling and shifts for `days` days from the hour of `start`."""
    clients = list(Client.objects.order_by("name")) if clients is None else clients
    start = hour_floor(start)
    hours = days * 24
    forecasts = forecast_clients(clients, start=start, weeks=math.ceil(days / 7), with_backtests=with_backtests)
    handling = measure_handling([client.pk for client in clients], since=start - HANDLING_HISTORY, until=start)
    return PlanInputs(clients, start, hours, forecasts, handling, Roster.load(start, start + hours * HOUR))


def plan_from(inputs: PlanInputs, what_if: WhatIf | None = None) -> Plan:
    """Erlang C per client-hour, pooled agency-wide, against the roster: no queries."""
    what_if = what_if or WhatIf()
    roster = inputs.roster
    working = [roster.on_shift(inputs.start + offset * HOUR + HOUR / 2) for offset in range(inputs.hours)]
    plans = [
        plan_client(client, inputs.forecasts[client.pk], inputs.handling[client.pk], what_if, roster, working)
        for client in inputs.clients
    ]
    agency = []
    for offset in range(inputs.hours):
        forecast, needed, level = pooled_needs(plans, offset)
        agency.append(
            PlanHour(inputs.start + offset * HOUR, forecast, needed, roster.agency_agents(working[offset]), level)
        )
    return Plan(inputs.start, plans, agency, what_if)


def build_plan(
    clients: list[Client] | None = None,
    *,
    start: datetime,
    days: int = 7,
    what_if: WhatIf | None = None,
    with_backtests: bool = False,
) -> Plan:
    """The plan for `days` days from the hour of `start`, for these clients (default: all)."""
    return plan_from(load_inputs(clients, start=start, days=days, with_backtests=with_backtests), what_if)
