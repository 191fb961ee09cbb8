"""The relay bench's measuring kit (bench/relay.py): ports, CPU of the servers and their PostgreSQL
backends, open sockets, the closed and open loops and their latency summaries."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import time
import uuid
from pathlib import Path

import websockets

CHATS_PER_AGENT = 4
CONNECTS_AT_ONCE = 20
SERVER_OPTIONS = ["--ws-max-size", "65536", "--ws-per-message-deflate", "false"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    """User + system CPU of each process (threads included), in clock ticks."""
    ticks = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])
    return ticks


def database_backends() -> list[int]:
    """The PostgreSQL backends serving the bench database (the servers' connections)."""
    import psycopg2

    with psycopg2.connect(os.environ["DATABASE_URL"]) as probe, probe.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def redis_server_pid() -> int | None:
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"]).info("server").get("process_id")


class CpuMeter:
    """CPU spent between start() and stop(), per message, by the servers, their PostgreSQL
    backends, Redis and this load generator: comparable across runs on a shared machine,
    where rates and latencies swing with the neighbours' load. Their sum is what one
    message costs the machine, so `cores / sum` is the most any run can reach here."""

    def __init__(self, server_pids: list[int], with_database: bool):
        self.server_pids, self.with_database = server_pids, with_database

    def groups(self) -> dict[str, list[int]]:
        return {
            "server": self.server_pids,
            "database": database_backends() if self.with_database else [],
            "redis": [pid for pid in [redis_server_pid()] if pid and self.with_database],
            "client": [os.getpid()],
        }

    def start(self) -> None:
        self.pids = self.groups()
        self.before = {name: cpu_ticks(pids) for name, pids in self.pids.items()}

    def stop(self, result: dict) -> dict:
        hertz = os.sysconf("SC_CLK_TCK")
        for name, pids in self.pids.items():
            after = cpu_ticks(pids)
            spent = sum(after[pid] - self.before[name].get(pid, 0) for pid in after) / hertz
            result[f"{name}_cpu_ms"] = 1000 * spent / max(result["messages"], 1)
        result["machine_cpu_ms"] = sum(result[f"{name}_cpu_ms"] for name in self.pids)
        return result


def summary(latencies: list[float], seconds: float, expected: int) -> dict:
    return {
        "messages": len(latencies),
        "lost": expected - len(latencies),
        "seconds": seconds,
        "rate": len(latencies) / seconds,
        "p50": percentile(latencies, 0.5) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
    }


# --- Sockets, opened before any timing --------------------------------------------


class Sockets:
    """The open visitor and agent sockets of one run; agents' readers resolve arrivals."""

    def __init__(self):
        self.visitors: list[tuple[dict, object]] = []
        self.agents: list[object] = []
        self.tasks: list[asyncio.Task] = []
        self.arrivals: dict[str, asyncio.Future] = {}  # client_id → future set to the arrival time
        self.received: set[str] = set()

    def expect(self, client_id: str) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.arrivals[client_id] = future
        return future

    async def agent_reader(self, socket_) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in socket_:
                frame = json.loads(raw)
                if frame.get("type") == "message" and frame.get("sender") == "visitor":
                    future = self.arrivals.pop(frame["client_id"], None)
                    if future is not None and not future.done():
                        future.set_result(time.perf_counter())

    async def open(self, pairs: list[dict], visitor_connect, agent_connect) -> None:
        gate = asyncio.Semaphore(CONNECTS_AT_ONCE)

        async def opened(connect):
            async with gate:
                return await connect()

        agent_names = list(dict.fromkeys(pair["agent"] for pair in pairs))
        self.agents = await asyncio.gather(*(opened(lambda a=a: agent_connect(a)) for a in agent_names))
        self.tasks += [asyncio.create_task(self.agent_reader(s)) for s in self.agents]
        visitors = await asyncio.gather(*(opened(lambda p=p: visitor_connect(p)) for p in pairs))
        self.visitors = list(zip(pairs, visitors, strict=True))
        self.tasks += [asyncio.create_task(_discard(s)) for s in visitors]
        await asyncio.sleep(1.0)  # consoles get their assignments and histories; visitors their status

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(
            *(s.close() for s in self.agents), *(s.close() for _, s in self.visitors), return_exceptions=True
        )


async def _discard(socket_) -> None:
    with contextlib.suppress(websockets.ConnectionClosed):
        async for _ in socket_:
            pass


def message_frame(pair: dict, n: int) -> tuple[str, str]:
    client_id = str(uuid.uuid4())
    return client_id, json.dumps(
        {"type": "message", "client_id": client_id, "conversation": pair["conversation"], "body": f"message {n}"}
    )


async def measured(meter: CpuMeter, run) -> dict:
    meter.start()
    return meter.stop(await run)


async def closed_loop(sockets: Sockets, messages: int) -> dict:
    """Each visitor sends its next message once the agent has received the previous one."""
    latencies: list[float] = []

    async def visitor(pair: dict, socket_) -> None:
        for n in range(messages):
            client_id, frame = message_frame(pair, n)
            arrival = sockets.expect(client_id)
            started = time.perf_counter()
            await socket_.send(frame)
            latencies.append(await asyncio.wait_for(arrival, timeout=30) - started)

    started = time.perf_counter()
    await asyncio.gather(*(visitor(pair, s) for pair, s in sockets.visitors))
    return summary(latencies, time.perf_counter() - started, len(sockets.visitors) * messages)


async def open_loop(sockets: Sockets, rate: float, seconds: float) -> dict:
    """Send `rate` messages a second, round robin over the chats, for `seconds`; latency is
    arrival minus the moment the message was due."""
    total = int(rate * seconds)
    latencies: list[float] = []
    waits: list[asyncio.Task] = []

    async def arrival_of(future, due: float) -> None:
        with contextlib.suppress(TimeoutError):
            latencies.append(await asyncio.wait_for(future, timeout=30) - due)

    started = time.perf_counter()
    for n in range(total):
        due = started + n / rate
        delay = due - time.perf_counter()
        if delay > 0.001:
            await asyncio.sleep(delay)
        pair, socket_ = sockets.visitors[n % len(sockets.visitors)]
        client_id, frame = message_frame(pair, n)
        waits.append(asyncio.create_task(arrival_of(sockets.expect(client_id), due)))
        await socket_.send(frame)
    sent_in = time.perf_counter() - started
    await asyncio.gather(*waits)
    result = summary(latencies, time.perf_counter() - started, total)
    result["sent_in"] = sent_in
    return result


# --- The real Relevo server ---------------------------------------------------------
