"""Relay benchmark: visitor → agent messages through Relevo and through a raw relay, side by side.

Every socket is opened before the clock starts; only messages are timed.
  1. closed loop: N chats (default 200) × M messages (default 20), each visitor
     sending its next message once its agent received the previous one; Relevo on
     one server process, Relevo on two (visitors on one, agents on the other), and
     a raw in-memory `websockets` relay (one process, no persistence);
  2. open loop: C chats (default 500) sending at fixed total rates (default 300,
     600, 1200 msg/s) for a few seconds, whatever the replies; latency counts
     from the moment a message was due, so a server that falls behind shows it.
     Relevo on two processes (visitor on one, agent on the other) beside the raw relay.

Relevo is uvicorn + PostgreSQL + the Redis pub/sub layer: visitor socket →
post_message (INSERT, commit) → ack + doorbell → agent socket. Each line also
gives the CPU per message of the servers and of their PostgreSQL backends, the
figure that stays comparable on a shared machine. `--profile FILE` samples the
one-process server with py-spy during an extra closed-loop run (`--profile-gil`:
CPU only; bench/profile_top.py prints its top entries).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relevo_bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/relay.py

Loopback only. The bench database is created (and its tables emptied) by the script.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# As README's "Production" starts a server process.

from raw_relay import run_raw  # noqa: E402  (bench/ is the script's folder)
from relay_meter import (  # noqa: E402
    CHATS_PER_AGENT,
    SERVER_OPTIONS,
    CpuMeter,
    Sockets,
    closed_loop,
    free_port,
    measured,
    open_loop,
    wait_for_port,
)


def prepare_relevo(conversations: int) -> tuple[list[dict], dict]:
    """A fresh shop with every conversation assigned to an online agent, CHATS_PER_AGENT each."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    # DEBUG stays off (as in production); a key of the bench's own, shared with the servers it starts.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["CHAT_AGENT_STALE_SECONDS"] = "3600"  # a slow setup must not make the first agents unroutable
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from agency.models import Agent, Presence
    from chats import services
    from chats.models import Conversation
    from clients.models import Client

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE chats_message, chats_conversation, chats_visitor, agency_agent_clients, "
            "agency_agent, clients_client, auth_user, django_session CASCADE"
        )
    client = Client.objects.create(name="Bench shop", slug="bench-shop")
    if hasattr(client, "is_24_7"):
        client.is_24_7 = True
        client.save()
    sessions = {}
    for n in range(-(-conversations // CHATS_PER_AGENT)):
        user = get_user_model().objects.create_user(f"agent{n}", password="x")
        agent = Agent.objects.create(
            user=user, presence=Presence.ONLINE, max_concurrent_chats=CHATS_PER_AGENT, last_seen_at=timezone.now()
        )
        agent.clients.add(client)
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        sessions[user.username] = session.session_key
    pairs = []
    for n in range(conversations):
        started = services.start_conversation(client=client, name=f"visitor {n}", visitor_connected=True)
        conversation = Conversation.objects.select_related("agent__user").get(pk=started.conversation.pk)
        assert conversation.agent, "every bench conversation must be assigned"
        pairs.append(
            {"conversation": conversation.pk, "token": started.token, "agent": conversation.agent.user.username}
        )
    pairs.sort(key=lambda pair: int(pair["agent"].removeprefix("agent")))  # whole consoles in any prefix
    return pairs, sessions


class RelevoServers:
    """Uvicorn processes of the real application, started as production starts them."""

    def __init__(self, count: int, layer: str):
        self.ports = [free_port() for _ in range(count)]
        env = {
            **os.environ,
            "PYTHONWARNINGS": "ignore::UserWarning",
            "CHANNEL_LAYER": layer,
            "CHAT_AGENT_STALE_SECONDS": "3600",
            "CHAT_VISITOR_FRAME_BURST": "1000000",
            "CHAT_MAX_SOCKETS_PER_CONVERSATION": "100",
        }
        self.processes = [
            subprocess.Popen(
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
                    *SERVER_OPTIONS,
                ],
                cwd=ROOT,
                env=env,
            )
            for port in self.ports
        ]
        for port in self.ports:
            wait_for_port(port)

    def meter(self) -> CpuMeter:
        return CpuMeter([process.pid for process in self.processes], with_database=True)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=10)


async def open_relevo(pairs: list[dict], sessions: dict, visitor_port: int, agent_port: int) -> Sockets:
    def visitor_connect(pair):
        return websockets.connect(
            f"ws://127.0.0.1:{visitor_port}/ws/chat/{pair['conversation']}/",
            subprotocols=["relevo.v1", f"relevo-token.{pair['token']}"],
            origin="http://127.0.0.1",
            max_queue=None,
        )

    def agent_connect(name):
        return websockets.connect(
            f"ws://127.0.0.1:{agent_port}/ws/agent/",
            origin=f"http://127.0.0.1:{agent_port}",
            additional_headers={"Cookie": f"sessionid={sessions[name]}"},
            max_queue=None,
        )

    sockets = Sockets()
    await sockets.open(pairs, visitor_connect, agent_connect)
    return sockets


def run_relevo_closed(pairs, sessions, args, processes: int, profile: Path | None = None) -> dict:
    servers = RelevoServers(processes, args.layer)
    spy = None
    try:

        async def run():
            sockets = await open_relevo(pairs, sessions, servers.ports[0], servers.ports[-1])
            nonlocal spy
            if profile is not None:
                spy = subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "py-spy"),
                        "record",
                        "--nonblocking",
                        "--pid",
                        str(servers.processes[0].pid),
                        "--rate",
                        "250",
                        "--format",
                        "raw",
                        "--output",
                        str(profile),
                        *(["--gil"] if args.profile_gil else []),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                await asyncio.sleep(1.0)
            try:
                return await measured(servers.meter(), closed_loop(sockets, args.messages))
            finally:
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                await sockets.close()

        return asyncio.run(asyncio.wait_for(run(), timeout=args.timeout))
    finally:
        if spy is not None:
            spy.wait(timeout=30)
        servers.stop()


def run_relevo_open(pairs, sessions, args) -> list[dict]:
    servers = RelevoServers(2, args.layer)
    try:

        async def run():
            sockets = await open_relevo(pairs, sessions, servers.ports[0], servers.ports[1])
            try:
                return [await measured(servers.meter(), open_loop(sockets, rate, args.seconds)) for rate in args.rates]
            finally:
                await sockets.close()

        return asyncio.run(asyncio.wait_for(run(), timeout=args.timeout * 2))
    finally:
        servers.stop()


# --- The raw relay baseline: in memory, no Django, one process ------------------------


def line(name: str, result: dict) -> str:
    lost = f", {result['lost']} lost" if result["lost"] else ""
    return (
        f"  {name:34s} {result['rate']:7.0f} msg/s  p50 {result['p50']:7.1f} ms  p99 {result['p99']:7.1f} ms"
        f"  cpu/msg {result['server_cpu_ms']:.2f} ms + db {result['database_cpu_ms']:.2f} ms"
        f"  ({result['messages']} in {result['seconds']:.1f} s{lost})"
    )


def ratio(ours: float, raw: float) -> str:
    """ours / raw, or n/a when the run was too short for the raw relay to show any CPU time."""
    return f"{ours / raw:.1f}x" if raw else "n/a (too short to measure)"


def report_closed(args, one: dict, two: dict, raw_closed: dict) -> None:
    print(f"closed loop: {args.conversations} chats x {args.messages} messages, visitor -> agent, sockets open")
    print(line("relevo, 1 process", one))
    print(line("relevo, 2 processes (v | a)", two))
    print(line("raw websockets relay, 1 process", raw_closed))
    print(
        f"  relevo (1 process) / raw: {one['rate'] / raw_closed['rate']:.2f}x   "
        f"2 processes / 1 process: {two['rate'] / one['rate']:.2f}x   "
        f"server cpu/msg relevo / raw: {ratio(one['server_cpu_ms'], raw_closed['server_cpu_ms'])}"
    )
    cores = os.cpu_count() or 1
    print(
        f"  CPU per message, every process, and the most {cores} cores could carry at that cost (a Python "
        "process, server or load generator, has at most one core):"
    )
    ceilings = {}
    for name, result, processes in (
        ("relevo, 1 process", one, 1),
        ("relevo, 2 processes", two, 2),
        ("raw relay", raw_closed, 1),
    ):
        ceilings[name] = min(
            1000 * cores / result["machine_cpu_ms"],
            1000 * processes / result["server_cpu_ms"],
            1000 / result["client_cpu_ms"],
        )
        print(
            f"    {name:20s} {result['machine_cpu_ms']:.3f} ms = server {result['server_cpu_ms']:.3f}"
            f" + db {result['database_cpu_ms']:.3f} + redis {result['redis_cpu_ms']:.3f}"
            f" + client {result['client_cpu_ms']:.3f}   at most {ceilings[name]:6.0f} msg/s"
        )
    print(
        f"  at these costs relevo / raw could not pass {ceilings['relevo, 1 process'] / raw_closed['rate']:.2f}x, "
        f"nor 2 processes / 1 process {ceilings['relevo, 2 processes'] / one['rate']:.2f}x, on this machine"
    )


def report_open(args, relevo_open: list[dict], raw_open: list[dict]) -> None:
    print(
        f"open loop: {args.open_conversations} chats, {args.seconds:g} s per rate; relevo on 2 processes "
        "(visitor on one, agent on the other), raw relay on 1"
    )
    for rate, relevo, raw in zip(args.rates, relevo_open, raw_open, strict=True):
        print(
            f"  {rate:5.0f} msg/s  relevo p50 {relevo['p50']:7.1f} ms p99 {relevo['p99']:7.1f} ms"
            f" cpu/msg {relevo['server_cpu_ms']:.2f}+{relevo['database_cpu_ms']:.2f} ms ({relevo['lost']} lost)"
            f"   raw p50 {raw['p50']:5.1f} ms p99 {raw['p99']:6.1f} ms cpu/msg {raw['server_cpu_ms']:.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=200, help="chats of the closed loop")
    parser.add_argument("--messages", type=int, default=20, help="messages per chat in the closed loop")
    parser.add_argument("--open-conversations", type=int, default=500, help="chats of the open loop")
    parser.add_argument("--rates", type=float, nargs="*", default=[300, 600, 1200], help="open-loop msg/s")
    parser.add_argument("--seconds", type=float, default=8, help="open-loop duration per rate")
    parser.add_argument("--timeout", type=float, default=300, help="give up on a stalled run after this many seconds")
    parser.add_argument(
        "--layer",
        choices=["pubsub", "core"],
        default="pubsub",
        help="channel layer of the Relevo server (default: pubsub, what production runs)",
    )
    parser.add_argument("--profile", type=Path, help="also profile one server process with py-spy into this file")
    parser.add_argument(
        "--profile-gil",
        action="store_true",
        help="sample only the thread holding the GIL: where the CPU goes, not the waits",
    )
    parser.add_argument("--loops", choices=["closed", "open"], nargs="*", default=["closed", "open"])
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark measures what production runs.")
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
    subprocess.run(
        ["psql", os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", "-qc", f"CREATE DATABASE {database}"],
        capture_output=True,
        check=False,
    )

    pairs, sessions = prepare_relevo(max(args.conversations, args.open_conversations))
    closed_pairs = pairs[: args.conversations]
    try:
        if "closed" in args.loops:
            one = run_relevo_closed(closed_pairs, sessions, args, processes=1)
            two = run_relevo_closed(closed_pairs, sessions, args, processes=2)
        if "open" in args.loops:
            relevo_open = run_relevo_open(pairs[: args.open_conversations], sessions, args)
        if args.profile:
            profiled = run_relevo_closed(closed_pairs, sessions, args, processes=1, profile=args.profile)
            print(line("(profiled run, 1 process)", profiled))
    except (TimeoutError, OSError, websockets.ConnectionClosed) as error:
        print(f"relevo with the {args.layer} layer stalled or failed: {error!r}")
        raise SystemExit(1) from None
    raw_closed, raw_open = run_raw(args)
    if "closed" in args.loops:
        report_closed(args, one, two, raw_closed)
    if "open" in args.loops:
        report_open(args, relevo_open, raw_open)


if __name__ == "__main__":
    main()
