"""A client's economics: the hours the agency covers, the agents they take, and what in-house would give.

- covered hours a week: a typical week of its coverage (clients.coverage.coverage_summary);
- seat FTE: those hours over the client's hours per FTE (one agent always there);
- FTE needed: the planner's agent-hours for the coming week over the hours per FTE
  (more than the seat when its chats need several agents at once; shared agents
  make it a fraction when they are few);
- in-house: one employee of the client's keeps the chat open STAFFING_IN_HOUSE_HOURS_PER_WEEK
  hours a week; the agency's extra hours and the ratio compare with that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from clients import coverage
from clients.models import Client
from planning.planner import build_plan


@dataclass(frozen=True, slots=True)
class Economics:
    covered_hours_per_week: float
    hours_per_fte: int
    seat_fte: float
    agent_hours_needed_next_week: int
    fte_needed: float
    in_house_hours_per_week: float
    extra_hours_over_in_house: float
    coverage_over_in_house: float | None

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


def client_economics(client: Client, *, now: datetime) -> Economics:
    summary = coverage.coverage_summary(client)
    hours, per_fte = summary["hours_per_week"], summary["hours_per_fte"]
    plan = build_plan([client], start=now, days=7)
    needed = plan.clients[0].agent_hours_needed
    in_house = float(settings.STAFFING_IN_HOUSE_HOURS_PER_WEEK)
    return Economics(
        covered_hours_per_week=hours,
        hours_per_fte=per_fte,
        seat_fte=summary["fte_needed"],
        agent_hours_needed_next_week=needed,
        fte_needed=round(needed / per_fte, 2),
        in_house_hours_per_week=in_house,
        extra_hours_over_in_house=round(hours - in_house, 2),
        coverage_over_in_house=round(hours / in_house, 2) if in_house else None,
    )
