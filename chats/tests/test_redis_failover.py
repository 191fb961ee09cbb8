"""Kill the Redis primary mid-chat (SIGKILL): the Sentinels promote the replica, both server
processes follow it, and the chat goes on with every message stored once and delivered once.

The visitor and the agent are on two different server processes, so every message crosses the
channel layer in Redis. The seconds of degraded service (messages taking over a second to arrive)
are printed (pytest -s shows them).
"""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async

from chats.models import Message
from chats.tests.resilient_client import ResilientChatClient, settle
from conftest import make_agent, make_client, session_cookie, start_chat
from core.tests.redis_sentinels import MASTER_NAME, SentinelGroup

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]
MESSAGE_INTERVAL = 0.05  # each side sends 20 messages a second
SLOW = 1.0  # a message that takes longer than this to arrive is degraded service


class TimedFrames(list):
    """A client's received frames, with the monotonic time each body from the other side arrived."""

    def __init__(self, other_side: str):
        super().__init__()
        self.other_side = other_side
        self.arrived: dict[str, float] = {}

    def append(self, frame):
        if frame["sender"] == self.other_side:
            self.arrived.setdefault(frame["body"], time.monotonic())
        super().append(frame)


@pytest.fixture
def sentinel_group(tmp_path):
    group = SentinelGroup(tmp_path).start()
    yield group
    group.stop()


def chat_world():
    shop = make_client("Failover shop")
    ana = make_agent("ana", shop)
    return start_chat(shop), session_cookie(ana.user).decode()


async def connected_clients(visitor_server, agent_server, chat, cookie):
    visitor = ResilientChatClient(
        f"ws://127.0.0.1:{visitor_server.port}/ws/chat/{chat.conversation.pk}/?token={chat.token}",
        origin="https://shop.example",
    )
    agent = ResilientChatClient(
        f"ws://127.0.0.1:{agent_server.port}/ws/agent/",
        origin=agent_server.url,
        headers={"Cookie": cookie},
        conversation=chat.conversation.pk,
    )
    for client, other_side in ((visitor, "agent"), (agent, "visitor")):
        client.received = TimedFrames(other_side)
        await client.connect()
    return visitor, agent


async def talk(visitor, agent, sent: dict[str, float], *, seconds: float, phase: str) -> None:
    """Both sides send in turn for `seconds`; `sent` records when each body left."""
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        for side, client in (("visitor", visitor), ("agent", agent)):
            body = f"{phase} {side} {n}"
            sent[body] = time.monotonic()
            await client.send(body)
        n += 1
        await asyncio.sleep(MESSAGE_INTERVAL)


def degraded_seconds(sent: dict[str, float], visitor, agent, killed_at: float) -> tuple[float, float]:
    """Seconds from the kill until every later message arrived within SLOW; the slowest one's delay."""
    arrived = visitor.received.arrived | agent.received.arrived
    delays = sorted((at, arrived[body] - at) for body, at in sent.items() if at >= killed_at)
    slow = [at for at, delay in delays if delay > SLOW]
    recovered_at = max((arrived[body] for body, at in sent.items() if at in slow), default=killed_at)
    return recovered_at - killed_at, max(delay for _, delay in delays)


def in_seq_order(client, sender: str) -> list[str]:
    """The bodies from `sender` a client received (each seq once), in the order they were stored."""
    return [frame["body"] for frame in sorted(client.received, key=lambda f: f["seq"]) if frame["sender"] == sender]


def stored_exactly_once(conversation_id: int, sent: dict[str, float]) -> None:
    rows = list(Message.objects.filter(conversation_id=conversation_id, body__in=list(sent)).values("body", "seq"))
    bodies = [row["body"] for row in rows]
    assert len(bodies) == len(set(bodies)) == len(sent), "a message stored twice or not at all"
    seqs = [row["seq"] for row in rows]
    assert len(seqs) == len(set(seqs))


def failover_env(sentinel_group) -> dict[str, str]:
    return {
        "REDIS_URL": "",
        "REDIS_SENTINELS": sentinel_group.sentinels,
        "REDIS_SENTINEL_MASTER": MASTER_NAME,
        "CHANNEL_LAYER_PREFIX": f"failover{sentinel_group.primary_port}",
        "CHAT_VISITOR_FRAME_BURST": "1000",
        "CHAT_AGENT_FRAME_BURST": "1000",
    }


def assert_both_servers_use_the_primary(sentinel_group, *servers) -> None:
    names = {client["name"] for client in sentinel_group.clients_of_primary()}
    for server in servers:
        assert f"relevo-layer:{server.process.pid}" in names


async def everything_arrives(visitor, agent, sent: dict[str, float]) -> None:
    await settle(
        [visitor, agent],
        lambda: (
            not visitor.pending
            and not agent.pending
            and set(sent) <= set(visitor.received.arrived) | set(agent.received.arrived)
        ),
    )


async def test_killing_the_redis_primary_mid_chat_loses_and_duplicates_nothing(sentinel_group, asgi_servers):
    # sentinel_group first: its Redis outlives the servers, which stop first
    chat, cookie = await sync_to_async(chat_world)()
    env = failover_env(sentinel_group)
    visitor_server, agent_server = asgi_servers(env=env), asgi_servers(env=env)
    visitor, agent = await connected_clients(visitor_server, agent_server, chat, cookie)
    sent: dict[str, float] = {}
    await talk(visitor, agent, sent, seconds=1, phase="before")
    assert_both_servers_use_the_primary(sentinel_group, visitor_server, agent_server)  # through the Sentinels

    killed_at = sentinel_group.kill_primary()
    talking = asyncio.create_task(talk(visitor, agent, sent, seconds=8, phase="after"))
    promoted_at = await asyncio.to_thread(sentinel_group.wait_for_promotion)
    await talking
    await everything_arrives(visitor, agent, sent)
    degraded, slowest = degraded_seconds(sent, visitor, agent, killed_at)
    print(  # noqa: T201
        f"\nredis primary killed: promoted after {promoted_at - killed_at:.1f} s, degraded service "
        f"{degraded:.1f} s (slowest message {slowest:.1f} s), {len(sent)} messages, "
        f"reconnects visitor={visitor.reconnects} agent={agent.reconnects}"
    )
    assert in_seq_order(agent, "visitor") == [body for body in sent if " visitor " in body]  # once each, in order
    assert in_seq_order(visitor, "agent") == [body for body in sent if " agent " in body]
    await sync_to_async(stored_exactly_once)(chat.conversation.pk, sent)
    assert degraded < 15
    assert_both_servers_use_the_primary(sentinel_group, visitor_server, agent_server)  # followed the promotion
    await visitor.close()
    await agent.close()
