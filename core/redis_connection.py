"""Where Redis is, and the one place that builds connections to it for every user: the channel
layer, the shared limits and Celery's broker.

Redis is either a plain URL (REDIS_URL) or a master that Sentinels name (REDIS_SENTINELS,
REDIS_SENTINEL_MASTER). Through Sentinels every new connection asks them for the current
primary, so after a failover each process follows the promoted replica by itself: a connection
to the dead primary fails, the next one goes to the new one. With Sentinels, REDIS_URL (if set)
gives only the database number and the password; its host and port are not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import redis
from redis.sentinel import Sentinel, SentinelConnectionPool

# Sentinels are asked on every new connection: a sentinel that does not answer must not hold it long.
SENTINEL_SOCKET_OPTIONS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}


class BlockingSentinelConnectionPool(SentinelConnectionPool, redis.BlockingConnectionPool):
    """A connection pool to the Sentinels' current primary that waits for a free connection
    (up to `timeout` seconds) instead of failing past `max_connections`, like
    redis.BlockingConnectionPool does for a plain URL."""


@dataclass(frozen=True)
class RedisAddress:
    """Redis as settings name it: a URL, or a master found through Sentinels."""

    url: str = ""
    sentinels: tuple[tuple[str, int], ...] = ()
    master: str = "relevo"

    @classmethod
    def of(cls, value: RedisAddress | str) -> RedisAddress:
        return value if isinstance(value, RedisAddress) else cls(url=value)

    def __bool__(self) -> bool:
        """Whether Redis is configured at all (embedded runs have none)."""
        return bool(self.url or self.sentinels)

    @property
    def db(self) -> int:
        path = urlsplit(self.url).path.strip("/") if self.url else ""
        return int(path) if path.isdigit() else 0

    @property
    def password(self) -> str | None:
        password = urlsplit(self.url).password if self.url else None
        return unquote(password) if password else None

    def describe(self) -> str:
        """For logs and errors: where Redis is, without the password."""
        if self.sentinels:
            listed = ",".join(f"{host}:{port}" for host, port in self.sentinels)
            return f"master {self.master!r} of sentinels {listed}, db {self.db}"
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"

    def channel_layer_host(self, client_name: str) -> dict[str, Any]:
        """One `hosts` entry of channels_redis' config (its create_pool understands both forms)."""
        if not self.sentinels:
            return {"address": self.url, "client_name": client_name}
        return {
            "master_name": self.master,
            "sentinels": [list(pair) for pair in self.sentinels],
            "sentinel_kwargs": dict(SENTINEL_SOCKET_OPTIONS),
            "db": self.db,
            "password": self.password,
            "client_name": client_name,
        }

    def blocking_client(self, *, max_connections: int, timeout: float, **options: Any) -> redis.Redis:
        """A client whose pool holds at most `max_connections` and waits `timeout` s for a free one."""
        if not self.sentinels:
            pool = redis.BlockingConnectionPool.from_url(
                self.url, max_connections=max_connections, timeout=timeout, **options
            )
            return redis.Redis(connection_pool=pool)
        sentinel = Sentinel(list(self.sentinels), sentinel_kwargs=dict(SENTINEL_SOCKET_OPTIONS))  # type: ignore[no-untyped-call]
        client: redis.Redis = sentinel.master_for(  # type: ignore[no-untyped-call]
            self.master,
            connection_pool_class=BlockingSentinelConnectionPool,
            max_connections=max_connections,
            timeout=timeout,
            db=self.db,
            password=self.password,
            **options,
        )
        return client

    def celery_broker(self, transport_options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Celery's broker URL and transport options: kombu's `sentinel://` transport names the master
        (`memory://` when there is no Redis: eager Celery)."""
        if not self.sentinels:
            return self.url or "memory://", transport_options
        auth = f":{quote(self.password, safe='')}@" if self.password else ""
        url = ";".join(f"sentinel://{auth}{host}:{port}/{self.db}" for host, port in self.sentinels)
        options = transport_options | {"master_name": self.master, "sentinel_kwargs": dict(SENTINEL_SOCKET_OPTIONS)}
        return url, options
