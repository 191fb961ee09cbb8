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
    simulation = _Simulation(
        rate=arrivals_per_hour / 3600,
        handle_samples=handle_samples,
        agents=agents,
        target_seconds=target_seconds,
        concurrency=concurrency,
        patience_seconds=patience_seconds,
        warmup=warmup_hours * 3600,
        end=(warmup_hours + hours) * 3600,
        seed=seed,
    )
    return simulation.run()


_ARRIVAL = -1  # the agent index an arrival event carries


class _Simulation:
    """One run: the event heap, the FIFO queue, the staff and the counters measured after warm-up."""

    def __init__(
        self,
        *,
        rate: float,
        handle_samples: Sequence[float],
        agents: int,
        target_seconds: float,
        concurrency: int,
        patience_seconds: float | None,
        warmup: float,
        end: float,
        seed: int,
    ) -> None:
        self.rng = random.Random(seed)
        self.rate, self.handle_samples, self.target_seconds = rate, handle_samples, target_seconds
        self.concurrency, self.patience_seconds = concurrency, patience_seconds
        self.warmup, self.end = warmup, end
        self.staff = [_Agent() for _ in range(agents)]
        self.queue: deque[tuple[float, float]] = deque()  # (arrived at, gives up at)
        self.events: list[tuple[float, int, int, int]] = []  # (time, order, agent index or _ARRIVAL, version)
        self.order = 0
        self.chats = self.answered = self.within = self.abandoned = self.abandoned_early = 0
        self.total_wait = 0.0

    def run(self) -> SimulationResult:
        heapq.heappush(self.events, (self.rng.expovariate(self.rate), 0, _ARRIVAL, 0))
        while self.events:
            now, _, index, version = heapq.heappop(self.events)
            if now > self.end:
                break
            if index == _ARRIVAL:
                self.arrive(now)
            else:
                self.complete(index, version, now)
        for arrived_at, gives_up_at in self.queue:
            if arrived_at >= self.warmup and gives_up_at <= self.end:
                self.give_up(arrived_at, gives_up_at)
        return self.result()

    def push(self, time: float, index: int, version: int) -> None:
        self.order += 1
        heapq.heappush(self.events, (time, self.order, index, version))

    def arrive(self, now: float) -> None:
        """A visitor asks: served at once by the least busy agent with a free slot, else queued."""
        patience = self.rng.expovariate(1 / self.patience_seconds) if self.patience_seconds else math.inf
        self.chats += now >= self.warmup
        free = [i for i, agent in enumerate(self.staff) if len(agent.remaining) < self.concurrency]
        if free:
            self.serve(now, now)
            self.start(min(free, key=lambda i: len(self.staff[i].remaining)), now)
        else:
            self.queue.append((now, now + patience))
        self.push(now + self.rng.expovariate(self.rate), _ARRIVAL, 0)

    def complete(self, index: int, version: int, now: float) -> None:
        """An agent finishes its shortest chat and takes the next visitor still waiting."""
        agent = self.staff[index]
        if version != agent.version:
            return  # the agent took another chat since: this completion time is stale
        agent.advance(now)
        agent.remaining.remove(min(agent.remaining))
        agent.version += 1
        if agent.remaining:
            self.push(agent.next_completion(), index, agent.version)
        while self.queue:
            arrived_at, gives_up_at = self.queue.popleft()
            if gives_up_at <= now:
                self.give_up(arrived_at, gives_up_at)
                continue
            self.serve(arrived_at, now)
            self.start(index, now)
            break

    def start(self, agent_index: int, now: float) -> None:
        agent = self.staff[agent_index]
        agent.advance(now)
        agent.remaining.append(self.rng.choice(self.handle_samples))
        agent.version += 1
        self.push(agent.next_completion(), agent_index, agent.version)

    def serve(self, arrived_at: float, now: float) -> None:
        if arrived_at >= self.warmup:
            wait = now - arrived_at
            self.answered += 1
            self.total_wait += wait
            self.within += wait <= self.target_seconds

    def give_up(self, arrived_at: float, gives_up_at: float) -> None:
        if arrived_at >= self.warmup:
            self.abandoned += 1
            self.abandoned_early += gives_up_at - arrived_at <= self.target_seconds

    def result(self) -> SimulationResult:
        busy = sum(min(agent.busy_seconds, self.end) for agent in self.staff)
        return SimulationResult(
            chats=self.chats,
            answered=self.answered,
            answered_within_target=self.within,
            abandoned=self.abandoned,
            abandoned_within_target=self.abandoned_early,
            average_wait_seconds=self.total_wait / self.answered if self.answered else 0.0,
            occupancy=busy / (len(self.staff) * self.end),
        )
