"""A rolling restart of every server process of the fleet (`deploy/fleet roll`: HAProxy drains
one, SIGTERM closes its sockets with 4012, it starts again, then the next) while ten chats talk
at 300 messages a second in all: 0 lost, 0 duplicated; the latency during the restart is printed."""

import asyncio
import statistics
import subprocess
import time

import pytest
from asgiref.sync import sync_to_async

from chats.tests.resilient_client import ResilientChatClient, settle
from chats.tests.test_fleet import fleet  # noqa: F401  (fixture)
from chats.tests.test_redis_failover import TimedFrames, in_seq_order, stored_exactly_once
from conftest import ROOT, make_agent, make_client, session_cookie, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]
CHATS = 10
INTERVAL = 1 / 15  # each side of each chat: 15 messages a second, 300 in all


def rolling_world():
    shop = make_client("Rolling shop")
    agents = [make_agent(f"agent{n}", shop, max_chats=1) for n in range(CHATS)]
    chats = [start_chat(shop, name=f"Visitor {n}") for n in range(CHATS)]
    cookies = {agent.pk: session_cookie(agent.user).decode() for agent in agents}
    return [(chat, cookies[chat.conversation.agent_id]) for chat in chats]


def pair_through(balancer: str, chat, cookie: str) -> tuple[ResilientChatClient, ResilientChatClient]:
    visitor = ResilientChatClient(
        f"ws://{balancer}/ws/chat/{chat.conversation.pk}/?token={chat.token}", origin="https://shop.example"
    )
    agent = ResilientChatClient(
        f"ws://{balancer}/ws/agent/",
        origin=f"http://{balancer}",
        headers={"Cookie": cookie},
        conversation=chat.conversation.pk,
    )
    visitor.received, agent.received = TimedFrames("agent"), TimedFrames("visitor")
    return visitor, agent


async def talk(pair, sent: dict[str, float], stop: asyncio.Event, tag: int) -> None:
    """Both sides in turn until `stop`; a side whose socket closed reconnects first (as the widget does)."""
    n = 0
    while not stop.is_set():
        for side, client in zip(("visitor", "agent"), pair, strict=True):
            await client.ensure_connected()
            body = f"chat {tag} {side} {n}"
            sent[body] = time.monotonic()
            await client.send(body)
        n += 1
        await asyncio.sleep(INTERVAL)


def roll(env: dict) -> tuple[float, float]:
    started = time.monotonic()
    subprocess.run([ROOT / "deploy" / "fleet", "roll"], env=env, check=True, timeout=120, capture_output=True)
    return started, time.monotonic()


def delays_between(pairs, sent: dict[str, float], start: float, end: float) -> list[float]:
    arrived: dict[str, float] = {}
    for visitor, agent in pairs:
        arrived |= visitor.received.arrived | agent.received.arrived
    return sorted(arrived[body] - at for body, at in sent.items() if start <= at <= end)


async def test_restarting_every_server_one_by_one_under_load_loses_and_duplicates_nothing(fleet):  # noqa: F811
    balancer = f"127.0.0.1:{fleet['FLEET_PORT']}"
    pairs = [pair_through(balancer, chat, cookie) for chat, cookie in await sync_to_async(rolling_world)()]
    for pair in pairs:
        for client in pair:
            await client.connect()
    sent: dict[str, float] = {}
    stop = asyncio.Event()
    talking = [asyncio.create_task(talk(pair, sent, stop, tag)) for tag, pair in enumerate(pairs)]
    await asyncio.sleep(2)
    roll_started, roll_ended = await asyncio.to_thread(roll, fleet)
    await asyncio.sleep(2)
    stop.set()
    await asyncio.gather(*talking)
    clients = [client for pair in pairs for client in pair]
    await settle(clients, lambda: all(not c.pending for c in clients) and all_arrived(pairs, sent), timeout=60)

    delays = delays_between(pairs, sent, roll_started, roll_ended)
    rate = len([at for at in sent.values() if roll_started <= at <= roll_ended]) / (roll_ended - roll_started)
    print(  # noqa: T201
        f"\nrolling restart of 2 processes in {roll_ended - roll_started:.1f} s at {rate:.0f} msg/s: "
        f"{len(sent)} messages, p50 {statistics.median(delays) * 1000:.0f} ms, "
        f"p99 {delays[int(len(delays) * 0.99)] * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms; "
        f"reconnects {sum(c.reconnects for c in clients)}"
    )
    for tag, (visitor, agent) in enumerate(pairs):
        assert not visitor.errors and not agent.errors, (visitor.errors[:3], agent.errors[:3])
        # Each once, in the order sent (by seq: a socket that reconnects may get a doorbell before its resume).
        assert in_seq_order(agent, "visitor") == [b for b in sent if b.startswith(f"chat {tag} visitor ")]
        assert in_seq_order(visitor, "agent") == [b for b in sent if b.startswith(f"chat {tag} agent ")]
        conversation = int(visitor.url.split("/ws/chat/")[1].split("/")[0])
        await sync_to_async(stored_exactly_once)(conversation, {b: 0 for b in sent if b.startswith(f"chat {tag} ")})
    for client in clients:
        await client.close()


def all_arrived(pairs, sent: dict[str, float]) -> bool:
    arrived: set[str] = set()
    for visitor, agent in pairs:
        arrived |= set(visitor.received.arrived) | set(agent.received.arrived)
    return set(sent) <= arrived
