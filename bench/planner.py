"""Staffing planner benchmark: the plan of 20 clients × 168 hours, and the simulation's service level.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relevo_bench_planner .venv/bin/python bench/planner.py

Creates and migrates the database if needed, generates a history of 20 clients over
12 weeks once (manage.py generate_history) and a week of shifts, then times
`build_plan` for every client over the coming week (forecast from the history,
measured handle time and chats at once, Erlang C per client-hour, agency-wide
pooling, scheduled agents): p50/p95 over `--runs`. Goal: well under a second.

Then, for the busiest client-hours of the plan, runs the discrete-event queue
simulation (core.queue_simulation: Poisson arrivals, that client's measured chat
lengths turned into work, its chats at once, patient-ish visitors) with the
recommended agents and prints its service level next to the target and to what
Erlang C promised.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.analytics import ensure_database, timed  # noqa: E402


def add_shifts(agent_ids: list[int], start) -> int:
    """Every agent works 8 hours a day for the coming week, in three rotating starts."""
    from agency.models import Agent, Shift

    first_client = dict(
        Agent.clients.through.objects.filter(agent_id__in=agent_ids)
        .order_by("-client_id")
        .values_list("agent_id", "client_id")
    )
    shifts = []
    for index, agent_id in enumerate(agent_ids):
        for day in range(8):
            begins = start + timedelta(days=day, hours=(index % 3) * 8)
            shifts.append(
                Shift(
                    agent_id=agent_id,
                    starts_at=begins,
                    ends_at=begins + timedelta(hours=8),
                    client_id=first_client[agent_id],
                )
            )
    Shift.objects.bulk_create(shifts)
    return len(shifts)


def simulate_busiest(plan, hours: int, seed: int) -> None:
    from chats.models import Conversation
    from core.erlang import effective_concurrency
    from core.queue_simulation import simulate_queue

    cases = sorted(
        ((hour.forecast, item, hour) for item in plan.clients for hour in item.hours if hour.needed),
        key=lambda case: -case[0],
    )[:3]
    print(f"{'client-hour':<44} {'chats/h':>7} {'agents':>6} {'target':>7} {'Erlang C':>9} {'simulated':>9}")
    for forecast, item, hour in cases:
        lengths = list(
            Conversation.objects.filter(client=item.client, closed_at__isnull=False, assigned_at__isnull=False)
            .order_by("-requested_at")
            .values_list("assigned_at", "closed_at")[:5000]
        )
        factor = effective_concurrency(item.concurrency) / item.concurrency
        work = [(closed - assigned).total_seconds() * factor for assigned, closed in lengths if closed > assigned] or [
            item.handle_seconds
        ]
        # The simulation draws the measured work; the model uses its mean, as the planner does.
        result = simulate_queue(
            arrivals_per_hour=forecast,
            handle_samples=work,
            agents=hour.needed,
            target_seconds=item.target_seconds,
            concurrency=item.concurrency,
            patience_seconds=180,
            hours=hours,
            seed=seed,
        )
        label = f"{item.client.name[:24]} {hour.starts_at:%a %H:%M} UTC"
        print(
            f"{label:<44} {forecast:>7.1f} {hour.needed:>6} {item.service_level:>7.1%} "
            f"{hour.service_level:>9.1%} {result.service_level:>9.1%}   (mean work {statistics.fmean(work):.0f} s, "
            f"{item.concurrency} at once, {result.chats} simulated chats)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--conversations", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--simulated-hours", type=int, default=200)
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL bench database, e.g. postgres://postgres@127.0.0.1:5432/"
            "relevo_bench_planner"
        )
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from agency.models import Agent, Shift
    from clients.models import Client
    from planning.planner import WhatIf, build_plan, load_inputs, plan_from

    call_command("migrate", verbosity=0)
    if Client.objects.count() < options.clients:
        started = time.monotonic()
        call_command(
            "generate_history",
            conversations=options.conversations,
            messages_per_conversation=1,
            clients=options.clients,
            agents=options.clients * 3,
            days=84,
        )
        print(f"history generated in {time.monotonic() - started:.0f} s")
        call_command("shell", command="from django.db import connection; connection.cursor().execute('ANALYZE')")
    start = timezone.now()
    if not Shift.objects.filter(ends_at__gt=start).exists():
        add_shifts(list(Agent.objects.values_list("pk", flat=True)), start.replace(minute=0, second=0))
    clients = list(Client.objects.order_by("name")[: options.clients])
    plan = build_plan(clients, start=start)
    hours = sum(len(item.hours) for item in plan.clients)
    p50, p95 = timed(lambda: build_plan(clients, start=start), options.runs)
    print(
        f"build_plan: {len(clients)} clients × {hours // len(clients)} hours = {hours} client-hours, "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms ({options.runs} runs, reading the history included)"
    )
    inputs = load_inputs(clients, start=start)
    p50, p95 = timed(lambda: plan_from(inputs, WhatIf(concurrency=2, target_seconds=30)), options.runs)
    print(
        f"plan_from (a what-if on loaded inputs: Erlang C per client-hour, pooling, roster): "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"
    )
    print(f"agency-wide: {plan.agent_hours_needed} agent-hours needed, {plan.agent_hours_scheduled} scheduled")
    simulate_busiest(plan, options.simulated_hours, seed=1)


if __name__ == "__main__":
    main()
