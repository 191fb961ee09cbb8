"""The Redis pub/sub channel layer, made to open sockets while Redis is down, and
able to publish many doorbells in one round trip (`group_send_many`).

channels_redis subscribes a consumer's own channel before the consumer runs, so with
Redis down every handshake failed with a 500 (and so did joining a group). Here a
subscription that Redis refuses is remembered and made as soon as Redis answers;
meanwhile the socket works from the database (heartbeats fill its gaps).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import redis
from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer, RedisSingleShardConnection
from channels_redis.utils import _wrap_close

logger = logging.getLogger(__name__)

RESUBSCRIBE_DELAYS = (0.1, 0.2, 0.5, 1.0)


class ResilientShard(RedisSingleShardConnection):
    """A shard that keeps the subscriptions Redis refused and makes them later."""

    def __init__(self, host: Any, channel_layer: Any) -> None:
        super().__init__(host, channel_layer)
        self.owed: set[str] = set()
        self.resubscriber: asyncio.Task[None] | None = None

    async def subscribe(self, channel: str) -> None:
        try:
            await super().subscribe(channel)
        except (redis.RedisError, OSError) as error:
            if not self.owed:
                logger.warning("Redis refused a subscription (%r): retrying until it answers", error)
            self.owed.add(channel)
            if self.resubscriber is None or self.resubscriber.done():
                self.resubscriber = asyncio.create_task(self.subscribe_owed())

    async def unsubscribe(self, channel: str) -> None:
        self.owed.discard(channel)
        await super().unsubscribe(channel)

    def still_wanted(self, channel: str) -> bool:
        return bool(channel in self.channel_layer.channels or channel in self.channel_layer.groups)

    async def subscribe_owed(self) -> None:
        attempt = 0
        while self.owed:
            await asyncio.sleep(RESUBSCRIBE_DELAYS[min(attempt, len(RESUBSCRIBE_DELAYS) - 1)])
            attempt += 1
            for channel in list(self.owed):
                if not self.still_wanted(channel):
                    self.owed.discard(channel)
                    continue
                try:
                    await RedisSingleShardConnection.subscribe(self, channel)
                except (redis.RedisError, OSError):
                    break
                self.owed.discard(channel)
        logger.warning("Redis subscriptions made again")

    async def publish_many(self, messages: list[tuple[str, bytes]]) -> None:
        """PUBLISH each (channel, payload) in one pipeline: one write and one round trip for all."""
        async with self._lock:
            self._ensure_redis()
            pipeline = self._redis.pipeline(transaction=False)
            for channel, payload in messages:
                pipeline.publish(channel, payload)
            await pipeline.execute()


class ResilientLoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shards: list[ResilientShard] = [ResilientShard(shard.host, self) for shard in self._shards]

    async def group_send_many(self, sends: list[tuple[str, dict[str, Any]]]) -> None:
        """group_send for each (group, message), in order, one pipeline per shard: a batch of
        messages (a group commit of chats) rings its doorbells in one Redis round trip, not one each."""
        by_shard: dict[ResilientShard, list[tuple[str, bytes]]] = {}
        for group, message in sends:
            channel = self._get_group_channel_name(group)
            by_shard.setdefault(self._get_shard(channel), []).append((channel, self.channel_layer.serialize(message)))
        for shard, messages in by_shard.items():
            await shard.publish_many(messages)


class ResilientPubSubChannelLayer(RedisPubSubChannelLayer):
    """channels_redis' pub/sub layer whose per-loop layers use ResilientShard."""

    def _get_layer(self) -> ResilientLoopLayer:
        loop = asyncio.get_running_loop()
        try:
            layer: ResilientLoopLayer = self._layers[loop]
            return layer
        except KeyError:
            layer = self._layers[loop] = ResilientLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
            return layer

    async def group_send_many(self, sends: list[tuple[str, dict[str, Any]]]) -> None:
        await self._get_layer().group_send_many(sends)
