"""Restart Redis, kill the ASGI server: every message arrives exactly once, in order.

Each test runs its own redis-server on a free port, so restarting it disturbs
nothing else. Counts are printed for the issue's note (pytest -s shows them).
"""

import asyncio
import shutil
import subprocess

import pytest
from asgiref.sync import sync_to_async

from chats.tests.resilient_client import ResilientChatClient, settle
from conftest import (
    AsgiServer,
    free_port,
    make_agent,
    make_client,
    require_mark,
    session_cookie,
    start_chat,
    subprocess_env,
    wait_for_port,
)

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]
MESSAGES_PER_PHASE = 15


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        require_mark("server", "a redis-server process")
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed for the fault tests (it is on this machine kind)")
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def chat_world(transactional_db, redis_server):
    shop = make_client("Fault shop")
    ana = make_agent("ana", shop)
    chat = start_chat(shop)
    env = subprocess_env() | {
        "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/0",
        "CHANNEL_LAYER_PREFIX": f"faults{redis_server.port}",
        "CHAT_VISITOR_FRAME_BURST": "1000",
    }
    return {"chat": chat, "cookie": session_cookie(ana.user).decode(), "env": env}


def clients_for(world, server):
    chat = world["chat"]
    visitor = ResilientChatClient(
        f"ws://127.0.0.1:{server.port}/ws/chat/{chat.conversation.pk}/?token={chat.token}", origin="https://x.example"
    )
    agent = ResilientChatClient(
        f"ws://127.0.0.1:{server.port}/ws/agent/",
        origin=server.url,
        headers={"Cookie": world["cookie"]},
        conversation=chat.conversation.pk,
    )
    return visitor, agent


async def exchange(visitor, agent, phase: str) -> None:
    for n in range(MESSAGES_PER_PHASE):
        await visitor.send(f"{phase} visitor {n}")
        await agent.send(f"{phase} agent {n}")
        await asyncio.sleep(0.01)


def report(name, visitor, agent, sent_by_visitor, sent_by_agent):
    got_by_agent, got_by_visitor = agent.bodies_from("visitor"), visitor.bodies_from("agent")
    counts = {
        "sent": len(sent_by_visitor) + len(sent_by_agent),
        "received": len(set(got_by_agent)) + len(set(got_by_visitor)),
        "lost": len(set(sent_by_visitor) - set(got_by_agent)) + len(set(sent_by_agent) - set(got_by_visitor)),
        "duplicated": (len(got_by_agent) - len(set(got_by_agent))) + (len(got_by_visitor) - len(set(got_by_visitor))),
    }
    print(f"\n{name}: {counts}, reconnects visitor={visitor.reconnects} agent={agent.reconnects}")  # noqa: T201
    return counts, got_by_agent, got_by_visitor


def expected_bodies(side: str) -> list[str]:
    return [f"{phase} {side} {n}" for phase in ("before", "during", "after") for n in range(MESSAGES_PER_PHASE)]


async def check_exactly_once(name, visitor, agent):
    sent_v, sent_a = expected_bodies("visitor"), expected_bodies("agent")
    await settle(
        [visitor, agent],
        lambda: (
            set(sent_v) <= set(agent.bodies_from("visitor"))
            and set(sent_a) <= set(visitor.bodies_from("agent"))
            and not visitor.pending
            and not agent.pending
        ),
    )
    counts, got_by_agent, got_by_visitor = report(name, visitor, agent, sent_v, sent_a)
    assert counts["lost"] == 0 and counts["duplicated"] == 0
    assert got_by_agent == sent_v  # in order
    assert got_by_visitor == sent_a
    seqs = [frame["seq"] for frame in visitor.received]
    assert seqs == sorted(seqs)


async def check_live_delivery_resumed(visitor, agent):
    """After the restart doorbells ring again: delivery without any heartbeat."""

    async def arrived():
        while "live again" not in visitor.bodies_from("agent"):
            await asyncio.sleep(0.05)

    await agent.send("live again")
    async with asyncio.timeout(10):
        await arrived()


async def test_a_redis_restart_loses_and_duplicates_nothing(chat_world, redis_server):
    server = AsgiServer(chat_world["env"]).start()
    try:
        visitor, agent = await sync_to_async(clients_for)(chat_world, server)
        await visitor.connect()
        await agent.connect()
        await exchange(visitor, agent, "before")
        redis_server.stop()
        await exchange(visitor, agent, "during")
        await asyncio.sleep(0.5)
        redis_server.start()
        await exchange(visitor, agent, "after")
        await check_exactly_once("redis restart", visitor, agent)
        await check_live_delivery_resumed(visitor, agent)
        await visitor.close()
        await agent.close()
    finally:
        server.stop()


async def test_killing_the_asgi_server_loses_and_duplicates_nothing(chat_world):
    server = AsgiServer(chat_world["env"]).start()
    try:
        visitor, agent = await sync_to_async(clients_for)(chat_world, server)
        await visitor.connect()
        await agent.connect()
        await exchange(visitor, agent, "before")
        server.stop(kill=True)
        await exchange(visitor, agent, "during")
        server.start()
        await exchange(visitor, agent, "after")
        await check_exactly_once("asgi server killed", visitor, agent)
        await visitor.close()
        await agent.close()
    finally:
        server.stop()
