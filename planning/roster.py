"""Who works when: the shifts of a period, the clients each agent serves, team limits, and the one rule of
which shifts work for a client. The planner counts scheduled agents with it, the staffing gaps their hours."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from agency.models import Agent, Shift, Team


@dataclass(frozen=True, slots=True)
class Roster:
    """Who works when in a period: shifts, which clients each agent serves, team limits."""

    shifts: list[tuple[datetime, datetime, int, int | None, int | None]]  # starts, ends, agent, client, team
    serves: dict[int, set[int]]  # agent → clients
    concurrency: dict[int, int]  # agent → max chats at once
    limited_team_of: dict[int, tuple[int, int]]  # agent → (team, limit) of their first limited team

    @classmethod
    def load(cls, start: datetime, end: datetime) -> Roster:
        shifts = list(
            Shift.objects.filter(starts_at__lt=end, ends_at__gt=start).values_list(
                "starts_at", "ends_at", "agent_id", "client_id", "team_id"
            )
        )
        agent_ids = {row[2] for row in shifts}
        serves: dict[int, set[int]] = defaultdict(set)
        for agent_id, client_id in Agent.clients.through.objects.filter(agent_id__in=agent_ids).values_list(
            "agent_id", "client_id"
        ):
            serves[agent_id].add(client_id)
        concurrency = dict(Agent.objects.filter(pk__in=agent_ids).values_list("pk", "max_concurrent_chats"))
        limited: dict[int, tuple[int, int]] = {}
        for team_id, limit, agent_id in (
            Team.objects.filter(~Q(max_simultaneous_chats=None), members__in=agent_ids)
            .order_by("name")
            .values_list("pk", "max_simultaneous_chats", "members")
        ):
            limited.setdefault(agent_id, (team_id, limit))
        return cls(shifts, serves, concurrency, limited)

    def works_for(self, agent: int, named: int | None, client_id: int) -> bool:
        """A shift works for a client when it names the client, or names a team (no client) and its agent
        serves the client."""
        return named == client_id or (named is None and client_id in self.serves.get(agent, ()))

    def shifts_for(self, client_id: int) -> list[tuple[datetime, datetime, int]]:
        """(starts, ends, agent) of the shifts that work for the client."""
        return [
            (begins, ends, agent)
            for begins, ends, agent, named, _ in self.shifts
            if self.works_for(agent, named, client_id)
        ]

    def on_shift(self, moment: datetime) -> list[tuple[int, int | None]]:
        """(agent, client named by the shift or None for a team shift) of the shifts at `moment`."""
        return [(agent, client) for begins, ends, agent, client, _ in self.shifts if begins <= moment < ends]

    def agents_working_for(self, working: list[tuple[int, int | None]], client_id: int) -> set[int]:
        """The distinct agents of `working` (from `on_shift`) whose shift works for the client."""
        return {agent for agent, named in working if self.works_for(agent, named, client_id)}

    def agents_for(self, working: list[tuple[int, int | None]], client_id: int) -> int:
        return len(self.agents_working_for(working, client_id))

    def agency_agents(self, working: list[tuple[int, int | None]]) -> int:
        """Distinct agents at work, a limited team's members counting for at most its limit's worth."""
        agents = {agent for agent, _ in working}
        free = [agent for agent in agents if agent not in self.limited_team_of]
        teams: dict[tuple[int, int], list[int]] = defaultdict(list)
        for agent in agents - set(free):
            teams[self.limited_team_of[agent]].append(agent)
        counted = len(free)
        for (_, limit), members in teams.items():
            per_agent = sum(self.concurrency.get(agent, 1) for agent in members) / len(members)
            counted += min(len(members), math.floor(limit / per_agent))
        return counted
