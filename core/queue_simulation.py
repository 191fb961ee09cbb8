"""A discrete-event simulation of the chat queue, to check Erlang C's staffing against.

Poisson arrivals; handle times drawn from measured samples (the work a chat needs
from an agent, in seconds of the agent's full attention); each agent holds up to
`concurrency` chats and, holding k, works through `effective_concurrency(k)` chats'
worth at once (processor sharing: every chat advances at factor(k)/k of full speed);
one FIFO queue routed to the least busy agent with a free slot; visitors give up
after an exponentially distributed patience. Pure Python, no app imports.

The service level counts the chats answered within the target over the chats that
did not give up before the target (short abandons are left out, as contact centres
count them); abandons after the target count as failures.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from core.erlang import effective_concurrency


@dataclass(frozen=True, slots=True)
class SimulationResult:
    chats: int
    answered: int
    answered_within_target: int
    abandoned: int
    abandoned_within_target: int
    average_wait_seconds: float
    occupancy: float  # busy agent-time (holding at least one chat) over all agent-time

    @property
    def service_level(self) -> float:
        counted = self.chats - self.abandoned_within_target
        return self.answered_within_target / counted if counted else 1.0


class _Agent:
    __slots__ = ("remaining", "updated_at", "version", "busy_seconds")

    def __init__(self) -> None:
        self.remaining: list[float] = []  # work left per chat held, in seconds at full speed
        self.updated_at = 0.0
        self.version = 0
        self.busy_seconds = 0.0

    def speed(self) -> float:
        """Work each held chat gets per second."""
        held = len(self.remaining)
        return effective_concurrency(held) / held if held else 0.0

    def advance(self, now: float) -> None:
        elapsed = now - self.updated_at
        if self.remaining and elapsed > 0:
            done = elapsed * self.speed()
            self.remaining = [work - done for work in self.remaining]
            self.busy_seconds += elapsed
        self.updated_at = now

    def next_completion(self) -> float:
        return self.updated_at + min(self.remaining) / self.speed()


def simulate_queue(
    *,
    arrivals_per_hour: float,
    handle_samples: Sequence[float],
    agents: int,
    target_seconds: float,
    concurrency: int = 1,
    patience_seconds: float | None = None,
    hours: float = 100.0,
    warmup_hours: float = 1.0,
    seed: int = 1,
) -> SimulationResult:
    """Run `hours` of steady arrivals (after `warmup_hours` not counted) and measure the queue."""
    if agents < 1 or concurrency < 1 or not handle_samples:
        raise ValueError("a simulation needs at least one agent, one slot and one handle time")
    rng = random.Random(seed)
    rate = arrivals_per_hour / 3600
    warmup, end = warmup_hours * 3600, (warmup_hours + hours) * 3600
    staff = [_Agent() for _ in range(agents)]
    queue: deque[tuple[float, float]] = deque()  # (arrived at, gives up at)
    events: list[tuple[float, int, int, int]] = []  # (time, order, agent index or -1 for an arrival, version)
    order = 0
    chats = answered = within = abandoned = abandoned_early = 0
    total_wait = 0.0

    def start(agent_index: int, now: float) -> None:
        nonlocal order
        agent = staff[agent_index]
        agent.advance(now)
        agent.remaining.append(rng.choice(handle_samples))
        agent.version += 1
        order += 1
        heapq.heappush(events, (agent.next_completion(), order, agent_index, agent.version))

    def serve(arrived_at: float, now: float) -> None:
        nonlocal answered, within, total_wait
        if arrived_at >= warmup:
            wait = now - arrived_at
            answered += 1
            total_wait += wait
            within += wait <= target_seconds

    def give_up(arrived_at: float, gives_up_at: float) -> None:
        nonlocal abandoned, abandoned_early
        if arrived_at >= warmup:
            abandoned += 1
            abandoned_early += gives_up_at - arrived_at <= target_seconds

    heapq.heappush(events, (rng.expovariate(rate), 0, -1, 0))
    while events:
        now, _, index, version = heapq.heappop(events)
        if now > end:
            break
        if index < 0:
            patience = rng.expovariate(1 / patience_seconds) if patience_seconds else math.inf
            chats += now >= warmup
            free = [i for i, agent in enumerate(staff) if len(agent.remaining) < concurrency]
            if free:
                serve(now, now)
                start(min(free, key=lambda i: len(staff[i].remaining)), now)
            else:
                queue.append((now, now + patience))
            order += 1
            heapq.heappush(events, (now + rng.expovariate(rate), order, -1, 0))
            continue
        agent = staff[index]
        if version != agent.version:
            continue  # the agent took another chat since: this completion time is stale
        agent.advance(now)
        agent.remaining.remove(min(agent.remaining))
        agent.version += 1
        if agent.remaining:
            order += 1
            heapq.heappush(events, (agent.next_completion(), order, index, agent.version))
        while queue:
            arrived_at, gives_up_at = queue.popleft()
            if gives_up_at <= now:
                give_up(arrived_at, gives_up_at)
                continue
            serve(arrived_at, now)
            start(index, now)
            break
    for arrived_at, gives_up_at in queue:
        if arrived_at >= warmup and gives_up_at <= end:
            give_up(arrived_at, gives_up_at)
    busy = sum(min(agent.busy_seconds, end) for agent in staff)
    return SimulationResult(
        chats=chats,
        answered=answered,
        answered_within_target=within,
        abandoned=abandoned,
        abandoned_within_target=abandoned_early,
        average_wait_seconds=total_wait / answered if answered else 0.0,
        occupancy=busy / (agents * end),
    )
