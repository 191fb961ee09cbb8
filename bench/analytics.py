"""Analytics benchmark: the KPI and heatmap selectors over a big history, p50/p95 ms per call.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relevo_bench_analytics \
        .venv/bin/python bench/analytics.py --conversations 100000 --messages-per-conversation 10

Creates and migrates the database if needed, generates the history once (reused
while it holds at least that many conversations), then times each selector over
`--runs` calls for the busiest client's last 30 days and the whole agency's agents,
and the REST API's analytics endpoints when they exist. Goal: under 300 ms each.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    env = {**os.environ, "PGPASSWORD": parts.password or ""}
    base = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    exists = subprocess.run(
        [*base, "-tAc", f"select 1 from pg_database where datname = '{name}'"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([*base, "-c", f'create database "{name}"'], check=True, env=env)


def set_up_history(conversations: int, messages_per_conversation: int, example_database: str) -> None:
    """Django on DATABASE_URL (a PostgreSQL bench database, created if missing), migrated, with at
    least `conversations` generated chats (manage.py generate_history), analysed as autovacuum
    would have by now. DEBUG stays off, as in production, with a secret key of the bench's own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            f"Set DATABASE_URL to a PostgreSQL bench database, e.g. postgres://postgres@127.0.0.1:5432/"
            f"{example_database}"
        )
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from chats.models import Conversation

    call_command("migrate", verbosity=0)
    if Conversation.objects.count() < conversations:
        started = time.monotonic()
        call_command(
            "generate_history", conversations=conversations, messages_per_conversation=messages_per_conversation
        )
        print(f"history generated in {time.monotonic() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(func, runs: int) -> tuple[float, float]:
    func()  # warm: connection, plans, caches
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[min(len(durations) - 1, round(0.95 * (len(durations) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages-per-conversation", type=int, default=10)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--days", type=int, default=30, help="The period measured, ending now.")
    options = parser.parse_args()
    set_up_history(options.conversations, options.messages_per_conversation, "relevo_bench_analytics")
    from django.db.models import Count
    from django.utils import timezone

    from chats.models import Conversation
    from reports.analytics import selectors as analytics

    end = timezone.now()
    start = end - timedelta(days=options.days)
    busiest = (
        Conversation.objects.filter(requested_at__gte=start)
        .values("client_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    client_id = busiest["client_id"]
    print(
        f"{Conversation.objects.count()} conversations; client {client_id} has {busiest['n']} chats in the last "
        f"{options.days} days"
    )
    cases = {
        "client_kpis": lambda: analytics.client_kpis(client_id=client_id, start=start, end=end),
        "agent_kpis (all clients)": lambda: analytics.agent_kpis(start=start, end=end),
        "agent_kpis (one client)": lambda: analytics.agent_kpis(start=start, end=end, client_ids=[client_id]),
        "volume_heatmap": lambda: analytics.volume_heatmap(client_id=client_id, start=start, end=end),
    }
    cases.update(api_cases(client_id, start, end))
    print(f"{'call':<40} {'p50 ms':>8} {'p95 ms':>8}   ({options.runs} runs)")
    for name, func in cases.items():
        p50, p95 = timed(func, options.runs)
        print(f"{name:<40} {p50:>8.1f} {p95:>8.1f}{'' if p95 < 300 else '   over 300 ms'}")


def api_cases(client_id: int, start, end) -> dict:
    """The REST API's analytics endpoints through Django's test client, if they are there."""
    from django.contrib.auth import get_user_model
    from django.test import Client as HttpClient
    from django.urls import NoReverseMatch, Resolver404, resolve

    paths = [
        f"/api/v1/analytics/clients/{client_id}/kpis/",
        f"/api/v1/analytics/clients/{client_id}/heatmap/",
        "/api/v1/analytics/agents/",
    ]
    found = []
    for path in paths:
        try:
            resolve(path)
            found.append(path)
        except (Resolver404, NoReverseMatch):
            pass
    if not found:
        print("(no /api/v1/analytics/ endpoints found: API not timed)")
        return {}
    user, _ = get_user_model().objects.get_or_create(
        username="bench-analytics", defaults={"is_superuser": True, "is_staff": True}
    )
    http = HttpClient(SERVER_NAME="localhost")
    http.force_login(user)
    query = {"start": start.isoformat(), "end": end.isoformat()}

    def get(path):
        response = http.get(path, query)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.content[:300]!r}")

    return {f"GET {path}": (lambda path=path: get(path)) for path in found}


if __name__ == "__main__":
    main()
