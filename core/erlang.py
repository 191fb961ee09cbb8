"""Erlang C: how many agents answer a share of chats within a target wait, with chats handled at once.

Pure arithmetic, no app imports (docs/staffing.md explains the model). The load of
an hour is A = λ·h in Erlangs (λ arrivals per second, h seconds of handle time);
with N agents:

- Erlang B by its recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)): stable for
  thousands of agents, where factorials and powers overflow;
- P(wait) = C(N, A) = N·B / (N − A·(1 − B)) for N > A (1 otherwise: the queue grows);
- service level SL(t) = 1 − C·e^(−(N − A)·t / h); average wait C·h / (N − A);
  occupancy A / N.

Concurrency enters as slots: an agent holding up to c chats is c servers, and a
chat holds its slot for h·c / factor(c), its handle time stretched by sharing the
agent (an agent holding k chats at once gets through factor(k) chats' worth of
work: 1.7 for 2, 2.5 for 3, 2.9 for 4, measured on the floor). So N agents are
N·c servers offered λ·h·c/factor(c) Erlangs: each agent's capacity is h/factor
per chat, and a free slot still answers a new chat at once. Checked against
core.queue_simulation (docs/staffing.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Measured throughput of one agent holding k chats at once, in chats handled alone (FIELD-NOTES).
CONCURRENCY_FACTORS = {1: 1.0, 2: 1.7, 3: 2.5, 4: 2.9}
# Beyond 4 chats each extra one adds little (the agent's attention is the limit).
EXTRA_CHAT_FACTOR = 0.2
MAX_CONCURRENCY = 10
MAX_AGENTS = 100_000


def effective_concurrency(concurrency: int) -> float:
    """How many chats' worth of work an agent holding `concurrency` chats at once gets through."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if concurrency in CONCURRENCY_FACTORS:
        return CONCURRENCY_FACTORS[concurrency]
    top = max(CONCURRENCY_FACTORS)
    return CONCURRENCY_FACTORS[top] + EXTRA_CHAT_FACTOR * (concurrency - top)


def slot_handle_seconds(handle_seconds: float, concurrency: int) -> float:
    """How long a chat holds one of an agent's slots when the agent is full: its handle time
    stretched by sharing the agent with `concurrency − 1` others (h·c / factor(c))."""
    return handle_seconds * concurrency / effective_concurrency(concurrency)


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of `agents` servers offered `load` Erlangs (iterative, no factorials)."""
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


def erlang_c(agents: int, load: float) -> float:
    """Probability that a chat waits at all; 1.0 when the agents cannot keep up (N ≤ A)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    blocking = erlang_b(agents, load)
    return agents * blocking / (agents - load * (1 - blocking))


@dataclass(frozen=True, slots=True)
class Staffing:
    """What `agents` agents give for one hour's load."""

    agents: int
    service_level: float  # share of chats answered within the target, 0..1
    occupancy: float  # share of the agents' time spent on chats, 0..1
    average_wait_seconds: float  # over every chat, those answered at once included
    probability_of_waiting: float

    def as_dict(self) -> dict[str, float]:
        return {
            "agents": self.agents,
            "service_level": round(self.service_level, 4),
            "occupancy": round(self.occupancy, 4),
            "average_wait_seconds": round(self.average_wait_seconds, 2),
        }


def _staffing(agents: int, slots: int, load: float, blocking: float, hold: float, target_seconds: float) -> Staffing:
    """The figures of `agents` agents with `slots` slots in all for `load` Erlangs of slot time,
    given Erlang B of (slots, load); `hold` is a chat's time in a slot."""
    if slots <= load:
        return Staffing(agents, 0.0, 1.0, math.inf, 1.0)
    waiting = slots * blocking / (slots - load * (1 - blocking))
    service_level = 1 - waiting * math.exp(-(slots - load) * target_seconds / hold)
    return Staffing(agents, max(0.0, min(1.0, service_level)), load / slots, waiting * hold / (slots - load), waiting)


def _slot_load(arrivals_per_hour: float, handle_seconds: float, concurrency: int) -> tuple[float, float]:
    hold = slot_handle_seconds(handle_seconds, concurrency)
    return arrivals_per_hour / 3600 * hold, hold


def staffing_with(
    agents: int, *, arrivals_per_hour: float, handle_seconds: float, target_seconds: float, concurrency: int = 1
) -> Staffing:
    """Service level, occupancy and average wait of `agents` agents for one hour's arrivals."""
    load, hold = _slot_load(arrivals_per_hour, handle_seconds, concurrency)
    if load <= 0:
        return Staffing(agents, 1.0, 0.0, 0.0, 0.0)
    slots = agents * concurrency
    return _staffing(agents, slots, load, erlang_b(slots, load), hold, target_seconds)


def agents_needed(
    *,
    arrivals_per_hour: float,
    handle_seconds: float,
    target_seconds: float,
    service_level: float,
    concurrency: int = 1,
) -> Staffing:
    """The smallest staffing whose service level reaches `service_level` (a share, 0 < x < 1).

    No arrivals need no agents. The search starts with the fewest agents whose slots
    exceed the load, where Erlang C is first defined, and adds one agent at a time
    (the service level rises with each), carrying Erlang B along its recursion.
    """
    if not 0 < service_level < 1:
        raise ValueError("service_level must be a share between 0 and 1, both excluded")
    load, hold = _slot_load(arrivals_per_hour, handle_seconds, concurrency)
    if load <= 0:
        return Staffing(0, 1.0, 0.0, 0.0, 0.0)
    agents = max(1, math.floor(load / concurrency))
    slots = agents * concurrency
    blocking = erlang_b(slots, load)
    while agents <= MAX_AGENTS:
        staffing = _staffing(agents, slots, load, blocking, hold, target_seconds)
        if staffing.service_level >= service_level:
            return staffing
        agents += 1
        for _ in range(concurrency):
            slots += 1
            blocking = load * blocking / (slots + load * blocking)
    raise ValueError("the load needs more agents than the model counts")
