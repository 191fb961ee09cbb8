"""The fleet of deploy/fleet (HAProxy, two uvicorn processes, Celery worker and beat, Redis primary
+ replica + 3 Sentinels, PgBouncer) serves the seeded demo through HAProxy, and a chat through the
balancer goes on when the Redis primary is killed: 0 lost, 0 duplicated, Celery answers again.

Everything is started by the README's command, on free ports, against the test database."""

import asyncio
import importlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.utils import timezone

from agency.models import Agent, Presence
from chats.tests.resilient_client import ResilientChatClient, settle
from chats.tests.test_redis_failover import TimedFrames, degraded_seconds, in_seq_order, stored_exactly_once, talk
from clients.models import Client
from conftest import ROOT, require_mark, session_cookie, start_chat, subprocess_env

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


def free_ports(count: int) -> int:
    """The first of `count` consecutive ports that nothing listens on."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count < 65535 and all(port_is_free(first + n) for n in range(count)):
            return first
    raise RuntimeError("no free run of ports")


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def with_role_groups() -> None:
    """The role groups a data migration made, which an earlier transactional spec's flush took away
    (seed_demo puts its people in them)."""
    for name, permissions in importlib.import_module("agency.migrations.0003_roles").ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


@pytest.fixture
def fleet():
    require_mark("server", "the whole fleet (deploy/fleet)")
    with_role_groups()
    # Not under pytest's 0700 folders: PgBouncer runs as postgres and must reach its own.
    state = Path(tempfile.mkdtemp(prefix="relevo-fleet-"))
    state.chmod(0o755)
    database = connection.settings_dict
    env = subprocess_env() | {
        "FLEET_DIR": str(state),
        "FLEET_PORT": str(free_ports(1)),
        "FLEET_APP_PORT": str(free_ports(2)),
        "FLEET_REDIS_PORT": str(free_ports(2)),
        "FLEET_SENTINEL_PORT": str(free_ports(3)),
        "FLEET_PGBOUNCER_PORT": str(free_ports(1)),
        "FLEET_DATABASE": database["NAME"],
        "FLEET_PG_HOST": database["HOST"] or "127.0.0.1",
        "FLEET_PG_PORT": str(database["PORT"] or 5432),
        "CHANNEL_LAYER_PREFIX": f"fleet{os.getpid()}",
        "CELERY_QUEUE": f"fleet{os.getpid()}",
        "CHAT_VISITOR_FRAME_BURST": "1000",
        "CHAT_AGENT_FRAME_BURST": "1000",
        "SERVER_DRAIN_SECONDS": "3",
        "SERVER_SHUTDOWN_SECONDS": "2",
        "FLEET_STOP_SECONDS": "10",
    }
    try:
        started = subprocess.run(
            [ROOT / "deploy" / "fleet", "start", "2"], env=env, timeout=180, capture_output=True, text=True
        )
        if started.returncode:
            pytest.fail(f"deploy/fleet start failed:\n{started.stderr[-3000:]}")
        yield env
    finally:
        subprocess.run([ROOT / "deploy" / "fleet", "stop"], env=env, timeout=60, capture_output=True)
        shutil.rmtree(state, ignore_errors=True)


def demo_chat():
    """A visitor's chat with Demo Shop, answered by Ana (the demo's agents are offline when seeded)."""
    Agent.objects.filter(user__username="ana").update(presence=Presence.ONLINE, last_seen_at=timezone.now())
    Agent.objects.exclude(user__username="ana").update(presence=Presence.OFFLINE)
    chat = start_chat(Client.objects.get(name="Demo Shop"))
    return chat, session_cookie(Agent.objects.get(user__username="ana").user).decode()


def celery_answers(env: dict) -> bool:
    """The fleet's worker answers a ping sent through the broker (Redis, through the Sentinels)."""
    app_env = env | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{env['FLEET_PGBOUNCER_PORT']}/{env['FLEET_DATABASE']}",
        "DATABASE_POOLER": "pgbouncer",
        "REDIS_URL": "",
        "REDIS_SENTINELS": ",".join(f"127.0.0.1:{int(env['FLEET_SENTINEL_PORT']) + n}" for n in range(3)),
    }
    ping = [sys.executable, "-m", "celery", "-A", "agency", "inspect", "ping", "--timeout", "3"]
    done = subprocess.run(ping, cwd=ROOT, env=app_env, capture_output=True, text=True, timeout=60)
    return "pong" in done.stdout


def kill_redis_primary(env: dict) -> float:
    os.kill(int((Path(env["FLEET_DIR"]) / "pid" / "redis-primary.pid").read_text()), signal.SIGKILL)
    return time.monotonic()


async def test_the_fleet_serves_the_demo_and_a_chat_outlives_the_redis_primary(fleet):
    balancer = f"127.0.0.1:{fleet['FLEET_PORT']}"
    with urlopen(f"http://{balancer}/demo/", timeout=10) as page:  # noqa: S310 (our own balancer)
        assert page.status == 200 and b"Demo Shop" in page.read()
    chat, cookie = await sync_to_async(demo_chat)()
    visitor, agent = await clients_through(balancer, chat, cookie)
    sent: dict[str, float] = {}
    await talk(visitor, agent, sent, seconds=1, phase="before")
    assert await asyncio.to_thread(celery_answers, fleet)

    killed_at = kill_redis_primary(fleet)
    await talk(visitor, agent, sent, seconds=8, phase="after")
    await settle(
        [visitor, agent],
        lambda: (
            not visitor.pending
            and not agent.pending
            and set(sent) <= set(visitor.received.arrived) | set(agent.received.arrived)
        ),
    )
    degraded, slowest = degraded_seconds(sent, visitor, agent, killed_at)
    print(  # noqa: T201
        f"\nfleet, redis primary killed: degraded service {degraded:.1f} s (slowest message {slowest:.1f} s), "
        f"{len(sent)} messages"
    )
    assert in_seq_order(agent, "visitor") == [body for body in sent if " visitor " in body]
    assert in_seq_order(visitor, "agent") == [body for body in sent if " agent " in body]
    await sync_to_async(stored_exactly_once)(chat.conversation.pk, sent)
    assert await asyncio.to_thread(celery_answers, fleet)  # the worker follows the promoted replica
    await visitor.close()
    await agent.close()


async def clients_through(balancer: str, chat, cookie: str):
    """The visitor on the demo page's origin, the agent on the console's: both through HAProxy."""
    visitor = ResilientChatClient(
        f"ws://{balancer}/ws/chat/{chat.conversation.pk}/?token={chat.token}", origin=f"http://{balancer}"
    )
    agent = ResilientChatClient(
        f"ws://{balancer}/ws/agent/",
        origin=f"http://{balancer}",
        headers={"Cookie": cookie},
        conversation=chat.conversation.pk,
    )
    for client, other_side in ((visitor, "agent"), (agent, "visitor")):
        client.received = TimedFrames(other_side)
        await client.connect()
    return visitor, agent
