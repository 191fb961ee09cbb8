"""A batch's doorbells go to Redis in one pipeline (core.channel_layer.group_send_many):
another process gets every one, in order; with Redis down none is lost, all are rung later."""

import asyncio
import socket
import uuid

import pytest
from django.conf import settings

from chats import events
from core.channel_layer import ResilientPubSubChannelLayer, ResilientShard

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="the pub/sub layer needs Redis")


def layer(address: str, prefix: str) -> ResilientPubSubChannelLayer:
    return ResilientPubSubChannelLayer(hosts=[{"address": address}], prefix=prefix)


async def test_doorbells_rung_together_reach_another_process_in_order_in_one_round_trip(monkeypatch):
    prefix = f"together-{uuid.uuid4().hex[:8]}"
    sender, receiver = layer(settings.REDIS_URL, prefix), layer(settings.REDIS_URL, prefix)
    single_publishes = []
    real_publish = ResilientShard.publish

    async def counted(shard, channel, message):
        single_publishes.append(channel)
        await real_publish(shard, channel, message)

    monkeypatch.setattr(ResilientShard, "publish", counted)
    console = await receiver.new_channel()
    await receiver.group_add("conversation.7", console)
    await receiver.group_add("agent.3", console)
    doorbells = [("conversation.7", {"type": "chat.message", "seq": seq}) for seq in range(1, 6)]
    doorbells.append(("agent.3", {"type": "chat.assigned", "seq": 6}))
    try:
        await events.ring_all(sender, doorbells)
        received = [await asyncio.wait_for(receiver.receive(console), timeout=5) for _ in doorbells]
    finally:
        await sender.flush()
        await receiver.flush()

    assert [event["seq"] for event in received] == [1, 2, 3, 4, 5, 6]
    assert single_publishes == []  # all six went in the one pipeline


async def test_doorbells_that_redis_refuses_are_kept_and_ringing_never_raises():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: connections are refused
        down = layer(f"redis://127.0.0.1:{port}/0", f"down-{uuid.uuid4().hex[:8]}")
        events.unrung_doorbells.pending.clear()
        try:
            await events.ring_all(
                down,
                [
                    ("conversation.1", {"type": "chat.message", "conversation": 1}),
                    ("conversation.2", {"type": "chat.message", "conversation": 2}),
                ],
            )
            kept = [entry[0] for entry in events.unrung_doorbells.pending.values()]
        finally:
            if events.unrung_doorbells.ringer is not None:
                events.unrung_doorbells.ringer.cancel()
            events.unrung_doorbells.pending.clear()
            await down.flush()
    assert kept == ["conversation.1", "conversation.2"]
