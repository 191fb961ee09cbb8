"""Relay benchmark: N concurrent conversations, M visitor → agent messages each.

Runs the workload twice in one go and prints both with their ratio:
  1. through the real Relevo server (uvicorn, PostgreSQL, Redis pub/sub layer):
     widget endpoint → visitor socket → post_message (INSERT) → doorbell → agent socket;
  2. through a minimal in-memory `websockets` relay with no persistence.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relevo_bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/relay.py --conversations 200 --messages 20

Loopback only. The bench database is created (and its tables flushed) by the script.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHATS_PER_AGENT = 4


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
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- Workload --------------------------------------------------------------------

async def run_workload(pairs: list[dict], messages: int, visitor_url, agent_url, agent_headers) -> dict:
    """Each visitor sends `messages` messages one after another, each waiting for its agent
    to receive the previous one (closed loop). Returns throughput and relay latencies."""
    agents: dict[str, dict] = {}
    latencies: list[float] = []
    waiters: dict[tuple, asyncio.Future] = {}

    async def agent_reader(name: str, socket_) -> None:
        async for raw in socket_:
            frame = json.loads(raw)
            if frame.get("type") == "message" and frame.get("sender") == "visitor":
                future = waiters.pop((frame["conversation"], frame["client_id"]), None)
                if future and not future.done():
                    future.set_result(time.perf_counter())

    for pair in pairs:
        if pair["agent"] not in agents:
            socket_ = await websockets.connect(agent_url(pair), **agent_headers(pair), max_queue=None)
            reader = asyncio.create_task(agent_reader(pair["agent"], socket_))
            agents[pair["agent"]] = {"socket": socket_, "task": reader}
    await asyncio.sleep(0.5)  # let the consoles receive their assignments

    async def visitor(pair: dict) -> None:
        async with websockets.connect(visitor_url(pair), origin="http://127.0.0.1") as socket_:
            drain = asyncio.create_task(_discard(socket_))
            for n in range(messages):
                client_id = str(uuid.uuid4())
                future = asyncio.get_running_loop().create_future()
                waiters[(pair["conversation"], client_id)] = future
                started = time.perf_counter()
                await socket_.send(json.dumps({"type": "message", "client_id": client_id,
                                               "conversation": pair["conversation"], "body": f"message {n}"}))
                arrived = await asyncio.wait_for(future, timeout=30)
                latencies.append(arrived - started)
            drain.cancel()

    started = time.perf_counter()
    await asyncio.gather(*(visitor(pair) for pair in pairs))
    elapsed = time.perf_counter() - started
    for agent in agents.values():
        agent["task"].cancel()
        await agent["socket"].close()
    return {"messages": len(latencies), "seconds": elapsed, "rate": len(latencies) / elapsed,
            "p50": percentile(latencies, 0.5) * 1000, "p99": percentile(latencies, 0.99) * 1000}


async def _discard(socket_) -> None:
    try:
        async for _ in socket_:
            pass
    except websockets.ConnectionClosed:
        pass


# --- 1. The real Relevo server ------------------------------------------------------

def prepare_relevo(conversations: int) -> tuple[list[dict], dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    # DEBUG stays off (as in production); a key of the bench's own, shared with the server it starts.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection

    from agency.models import Agent, Presence
    from chats import services
    from chats.models import Conversation
    from clients.models import Client

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE chats_message, chats_conversation, chats_visitor, agency_agent_clients, "
                       "agency_agent, clients_client, auth_user, django_session CASCADE")
    client = Client.objects.create(name="Bench shop", slug="bench-shop")
    if hasattr(client, "is_24_7"):
        client.is_24_7 = True
        client.save()
    sessions = {}
    agent_count = -(-conversations // CHATS_PER_AGENT)
    from django.utils import timezone
    for n in range(agent_count):
        user = get_user_model().objects.create_user(f"agent{n}", password="x")
        agent = Agent.objects.create(user=user, presence=Presence.ONLINE, max_concurrent_chats=CHATS_PER_AGENT,
                                     last_seen_at=timezone.now())
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
        pairs.append({"conversation": conversation.pk, "token": started.token,
                      "agent": conversation.agent.user.username})
    return pairs, sessions


def bench_relevo(args) -> dict:
    pairs, sessions = prepare_relevo(args.conversations)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "agency.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--ws-max-size", "65536"],
        cwd=ROOT, env={**os.environ, "CHAT_AGENT_STALE_SECONDS": "3600", "CHANNEL_LAYER": args.layer,
                       "CHAT_VISITOR_FRAME_BURST": "100000", "CHAT_MAX_SOCKETS_PER_CONVERSATION": "100"},
    )
    try:
        wait_for_port(port)
        return asyncio.run(asyncio.wait_for(run_workload(
            pairs, args.messages,
            visitor_url=lambda p: f"ws://127.0.0.1:{port}/ws/chat/{p['conversation']}/?token={p['token']}",
            agent_url=lambda p: f"ws://127.0.0.1:{port}/ws/agent/",
            agent_headers=lambda p: {"origin": f"http://127.0.0.1:{port}",
                                     "additional_headers": {"Cookie": f"sessionid={sessions[p['agent']]}"}},
        ), timeout=args.timeout))
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- 2. The raw relay baseline ----------------------------------------------------

async def raw_relay(conversations: int, messages: int) -> dict:
    consoles: dict[str, set] = {}

    async def handler(socket_) -> None:
        path = socket_.request.path
        if path.startswith("/agent/"):
            name = path.rsplit("/", 1)[-1]
            consoles.setdefault(name, set()).add(socket_)
            try:
                await socket_.wait_closed()
            finally:
                consoles[name].discard(socket_)
            return
        agent = path.rsplit("/", 1)[-1]
        async for raw in socket_:
            frame = json.loads(raw)
            relayed = json.dumps({"type": "message", "conversation": frame["conversation"],
                                  "client_id": frame["client_id"], "sender": "visitor", "body": frame["body"]})
            await socket_.send(json.dumps({"type": "ack", "client_id": frame["client_id"]}))
            for console in list(consoles.get(agent, ())):
                await console.send(relayed)

    port = free_port()
    pairs = [{"conversation": n, "agent": f"agent{n // CHATS_PER_AGENT}"} for n in range(conversations)]
    async with websockets.serve(handler, "127.0.0.1", port, max_queue=None):
        return await run_workload(
            pairs, messages,
            visitor_url=lambda p: f"ws://127.0.0.1:{port}/visitor/{p['agent']}",
            agent_url=lambda p: f"ws://127.0.0.1:{port}/agent/{p['agent']}",
            agent_headers=lambda p: {},
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300, help="give up on a stalled run after this many seconds")
    parser.add_argument("--layer", choices=["pubsub", "core"], default="pubsub",
                        help="channel layer of the Relevo server (default: pubsub, what production runs)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark measures what production runs.")
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
    subprocess.run(["psql", os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", "-qc",
                    f"CREATE DATABASE {database}"], capture_output=True, check=False)

    try:
        relevo = bench_relevo(args)
    except (TimeoutError, OSError, websockets.ConnectionClosed) as error:
        print(f"relevo with the {args.layer} layer stalled or failed: {error!r}")
        raise SystemExit(1) from None
    raw = asyncio.run(raw_relay(args.conversations, args.messages))
    print(f"{args.conversations} conversations x {args.messages} messages, visitor -> agent, closed loop")
    for name, result in ((f"relevo (uvicorn, PostgreSQL, {args.layer} layer)", relevo), ("raw websockets relay", raw)):
        print(f"  {name:36s} {result['rate']:8.0f} msg/s   p50 {result['p50']:7.1f} ms   "
              f"p99 {result['p99']:7.1f} ms   ({result['messages']} messages in {result['seconds']:.1f} s)")
    print(f"  raw / relevo throughput ratio: {raw['rate'] / relevo['rate']:.1f}x")


if __name__ == "__main__":
    main()
