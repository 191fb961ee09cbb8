"""Live visits benchmark: N open visit sockets (`/ws/visit/<key>/`) on ONE uvicorn process,
each heart-beating like the widget, while pages are fetched from the same server.

Prints the server's RSS and open file descriptors, the Redis clients (all, and the server's
own), page latencies during the load, and the database work per heartbeat (visit rows
written, transactions committed) to show that heartbeats are batched, not written.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relevo_bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/visits.py --visits 10000 --hold 60

Loopback only; the bench database is created (and its tables emptied) by the script.
The benchmark process needs `ulimit -n` above the number of visits (the server too).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.relay import free_port, percentile, wait_for_port  # noqa: E402

PAGE_PATHS = ("/demo/", "/accounts/login/")


def prepare() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from chats.visits.models import ProactiveRule
    from clients.models import Client

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE chats_visit, chats_invitation, chats_conversion, chats_proactiverule, clients_client CASCADE"
        )
    client = Client.objects.create(name="Demo Shop", slug="demo-shop", is_24_7=True, tracks_visitors_before_chat=True)
    # A rule that never fires within the run: its timer is part of every socket's cost.
    ProactiveRule.objects.create(
        client=client, name="Patient", min_seconds_on_page=86_400, invitation_texts="en: Can we help?"
    )
    return client.widget_key


def server_figures(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kib = int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
    return {"rss_mib": rss_kib / 1024, "fds": len(os.listdir(f"/proc/{pid}/fd"))}


def redis_clients(pid: int) -> tuple[int, int]:
    import redis

    clients = redis.Redis.from_url(os.environ["REDIS_URL"]).client_list()
    return len(clients), sum(1 for c in clients if c.get("name", "").endswith(f":{pid}"))


def database_counters() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_ins + n_tup_upd FROM pg_stat_user_tables WHERE relname = 'chats_visit'")
        rows = cursor.fetchone()[0]
        cursor.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
        commits = cursor.fetchone()[0]
    return {"visit_rows_written": rows, "commits": commits}


def fetch_page(url: str) -> float:
    """The page's time as a separate client sees it (curl: this process is busy with its own sockets)."""
    result = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    status, seconds = result.stdout.split()
    if status != "200":
        raise RuntimeError(f"{url} answered {status}")
    return float(seconds) * 1000


class Load:
    def __init__(self, base: str, widget_key: str, ping_every: float):
        self.url = base.replace("http", "ws") + f"/ws/visit/{widget_key}/"
        self.origin = base
        self.ping_every = ping_every
        self.sockets: list = []
        self.pings = 0
        self.failures = 0

    async def open_one(self, n: int) -> None:
        try:
            socket_ = await websockets.connect(
                self.url, origin=self.origin, ping_interval=None, max_queue=None, open_timeout=120
            )
            await socket_.send(
                json.dumps(
                    {
                        "type": "hello",
                        "url": f"{self.origin}/demo/product/{n}",
                        "title": f"Product {n}",
                        "referrer": "",
                        "language": "en",
                        "returning": n % 3 == 0,
                        "pages_seen": 1 + n % 5,
                    }
                )
            )
            frame = json.loads(await asyncio.wait_for(socket_.recv(), timeout=120))
            assert frame["type"] == "visit", frame
            await socket_.send(json.dumps({"type": "cart", "value": n % 200, "currency": "EUR", "items": n % 4}))
            self.sockets.append(socket_)
        except Exception as error:  # counted and reported: a refused socket is a result too
            self.failures += 1
            if self.failures <= 3:
                print(f"  socket {n} failed: {error!r}")

    async def open_all(self, count: int, batch: int) -> float:
        started = time.perf_counter()
        for first in range(0, count, batch):
            await asyncio.gather(*(self.open_one(n) for n in range(first, min(first + batch, count))))
        return time.perf_counter() - started

    async def heartbeat(self, until: float) -> None:
        """Every socket pings once per `ping_every`, spread evenly (as thousands of widgets would)."""
        while time.monotonic() < until and self.sockets:
            gap = self.ping_every / len(self.sockets)
            for socket_ in list(self.sockets):
                if time.monotonic() >= until:
                    return
                try:
                    await socket_.send('{"type":"ping"}')
                    self.pings += 1
                except websockets.ConnectionClosed:
                    self.sockets.remove(socket_)
                await asyncio.sleep(gap)


async def measure(args, base: str, widget_key: str, pid: int) -> None:
    idle = server_figures(pid)
    baseline = []
    for _n in range(10):
        for path in PAGE_PATHS:
            baseline.append(await asyncio.to_thread(fetch_page, base + path))
    load = Load(base, widget_key, args.ping_every)
    opened_in = await load.open_all(args.visits, args.batch)
    print(f"{len(load.sockets)} visit sockets open in {opened_in:.0f} s ({load.failures} failed)")
    await asyncio.sleep(args.flush_wait)  # let the first batch land
    before = await asyncio.to_thread(database_counters)
    until = time.monotonic() + args.hold
    beat = asyncio.create_task(load.heartbeat(until))
    latencies = []
    while time.monotonic() < until:
        for path in PAGE_PATHS:
            latencies.append(await asyncio.to_thread(fetch_page, base + path))
        await asyncio.sleep(1)
    await beat
    after = await asyncio.to_thread(database_counters)
    loaded = server_figures(pid)
    total_redis, server_redis = await asyncio.to_thread(redis_clients, pid)
    written = after["visit_rows_written"] - before["visit_rows_written"]
    commits = after["commits"] - before["commits"]
    per_visit = (loaded["rss_mib"] - idle["rss_mib"]) * 1024 / max(len(load.sockets), 1)
    print(
        f"server (one uvicorn process): RSS {idle['rss_mib']:.0f} MiB idle -> {loaded['rss_mib']:.0f} MiB "
        f"with {len(load.sockets)} visits ({per_visit:.1f} KiB per visit); "
        f"file descriptors {idle['fds']} -> {loaded['fds']}"
    )
    print(f"redis clients: {server_redis} of the server process ({total_redis} on the Redis server in all)")
    print(
        f"pages before any visit ({len(baseline)} fetches): p50 {percentile(baseline, 0.5):.0f} ms, "
        f"p95 {percentile(baseline, 0.95):.0f} ms, max {max(baseline):.0f} ms"
    )
    print(
        f"pages during the load ({len(latencies)} fetches of {', '.join(PAGE_PATHS)}): "
        f"p50 {percentile(latencies, 0.5):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
        f"max {max(latencies):.0f} ms"
    )
    print(
        f"heartbeats in {args.hold:.0f} s: {load.pings}; visit rows written {written} "
        f"({written / max(load.pings, 1):.2f} per heartbeat); database commits {commits} (all statements, "
        f"page views included)"
    )
    for socket_ in load.sockets:
        await socket_.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--hold", type=float, default=60, help="seconds of heartbeats and page fetches")
    parser.add_argument("--ping-every", type=float, default=25, help="seconds between one socket's pings (widget: 25)")
    parser.add_argument("--batch", type=int, default=250, help="sockets opened at once")
    parser.add_argument(
        "--flush-wait", type=float, default=15, help="seconds for the first batch and the database statistics to settle"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark measures what production runs.")
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
    subprocess.run(
        ["psql", os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", "-qc", f"CREATE DATABASE {database}"],
        capture_output=True,
        check=False,
    )
    widget_key = prepare()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "agency.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws-max-size",
            "65536",
            "--backlog",
            "4096",
        ],
        cwd=ROOT,
        env={**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"},
    )
    try:
        wait_for_port(port)
        asyncio.run(measure(args, base, widget_key, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
