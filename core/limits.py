"""Flood limits: a token bucket per socket (no I/O on the message path), and counters
shared by every process through Redis: fixed hourly windows, open sockets, and claims
(one holder at a time, with an expiry: `core.single_tasks`).

Redis is reached through one client per process with a small blocking pool of
connections named `relevo-limits:<pid>` (REDIS_LIMITS_CONNECTIONS), whatever the number
of sockets. Open sockets are counted as per-process leases: each process writes its own
count in a hash field and renews a lease of CHAT_SOCKET_LEASE_SECONDS from a heartbeat
thread; the total is the sum over live leases, so a killed process's share expires.

Every count is also kept in process memory. While Redis does not answer, limits
degrade to per-process counting (one warning per outage) rather than refusing new
chats; the heartbeat writes the process's counts back once Redis returns. Embedded
(no REDIS_URL nor REDIS_SENTINELS), process memory is all there is. Through Sentinel the
client follows a failover (core.redis_connection).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass, field

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.errors import RateLimited
from core.redis_connection import RedisAddress

logger = logging.getLogger(__name__)


@dataclass
class TokenBucket:
    """`rate_per_minute` tokens a minute, at most `burst` saved up; one per frame."""

    rate_per_minute: float
    burst: int
    tokens: float = field(init=False)
    updated: float = field(init=False, default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def take(self) -> float:
        """0 when a token was taken, else the seconds until one will be there."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate_per_minute / 60)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) * 60 / self.rate_per_minute


# Sum the counts of live processes (dropping dead ones), then take a place if one is left.
OPEN_SOCKET = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local me, mine, limit, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZADD', KEYS[2], now + ttl, me)
local others = 0
local counts = redis.call('HGETALL', KEYS[1])
for i = 1, #counts, 2 do
  if counts[i] ~= me then
    local expires = tonumber(redis.call('ZSCORE', KEYS[2], counts[i]))
    if expires and expires > now then
      others = others + tonumber(counts[i + 1])
    else
      redis.call('HDEL', KEYS[1], counts[i])
    end
  end
end
if others + mine + 1 > limit then return 0 end
redis.call('HSET', KEYS[1], me, mine + 1)
redis.call('EXPIRE', KEYS[1], ttl)
return 1
"""

# Renew this process's lease and rewrite its counts (KEYS[2..], ARGV[3..]); forget dead leases.
RENEW_LEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local me, ttl = ARGV[1], tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, me)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
for i = 2, #KEYS do
  local count = tonumber(ARGV[i + 1])
  if count > 0 then
    redis.call('HSET', KEYS[i], me, count)
    redis.call('EXPIRE', KEYS[i], ttl)
  else
    redis.call('HDEL', KEYS[i], me)
  end
end
return 1
"""

# Delete a claim only if it is still the caller's (another may hold it once this one expired).
RELEASE_CLAIM = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

RENEW_BATCH = 500
REDIS_ERRORS = (redis.RedisError, OSError)


def seconds_left_over(count: int, *, limit: int, window: int, window_seconds: int) -> int:
    """0 when `count` is within `limit`, else the seconds until the window ends."""
    if count <= limit:
        return 0
    return max(1, int((window + 1) * window_seconds - time.time()))


class SharedCounters:
    """This process's view of the shared counters: its Redis client, its lease and its
    own counts in memory (the fallback while Redis is away)."""

    def __init__(self, redis_address: RedisAddress | str, prefix: str):
        self.pid = os.getpid()
        self.process = f"{self.pid}:{uuid.uuid4().hex[:8]}"
        self.prefix = prefix
        self.lock = threading.Lock()
        self.sockets: dict[str, int] = {}
        self.changed_sockets: set[str] = set()
        self.windows: dict[tuple[str, int], int] = {}
        self.redis: redis.Redis | None = None
        self.outage_since: float | None = None
        self.retry_redis_at = 0.0
        self.heartbeat: threading.Thread | None = None
        if address := RedisAddress.of(redis_address):
            self.redis = address.blocking_client(
                max_connections=settings.REDIS_LIMITS_CONNECTIONS,
                timeout=2,
                client_name=f"relevo-limits:{self.pid}",
                socket_timeout=1,
                socket_connect_timeout=1,
                retry=Retry(NoBackoff(), 1),
            )
            self.open_script = self.redis.register_script(OPEN_SOCKET)
            self.renew_script = self.redis.register_script(RENEW_LEASE)
            self.release_script = self.redis.register_script(RELEASE_CLAIM)
        self.claims: dict[str, tuple[str, float]] = {}

    # --- Redis availability -----------------------------------------------------

    def redis_to_try(self) -> redis.Redis | None:
        """The Redis client, unless there is none (embedded) or it failed less than a second ago."""
        if self.redis is not None and time.monotonic() >= self.retry_redis_at:
            return self.redis
        return None

    def redis_failed(self, error: Exception) -> None:
        """Count in this process for a second before trying Redis again; warn once an outage."""
        self.retry_redis_at = time.monotonic() + 1
        if self.outage_since is None:
            self.outage_since = time.monotonic()
            logger.warning(
                "Redis unreachable (%r): flood and socket limits are counted per process until it answers again", error
            )

    def redis_answered(self) -> None:
        if self.outage_since is not None:
            logger.warning(
                "Redis answers again after %.0f s: limits are shared again", time.monotonic() - self.outage_since
            )
            self.outage_since = None
            self.changed_sockets.update(self.sockets)  # written back by the next renewal
            self.start_heartbeat(wake=True)

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    # --- Hourly windows -------------------------------------------------------

    def hit(self, key: str, *, limit: int, window_seconds: int) -> int:
        window = int(time.time() // window_seconds)
        count: int | None = None
        if (client := self.redis_to_try()) is not None:
            cache_key = self.key(f"limit:{key}:{window}")
            try:
                with client.pipeline() as pipe:
                    pipe.incr(cache_key)
                    pipe.expire(cache_key, window_seconds + 5)
                    count = int(pipe.execute()[0])
                self.redis_answered()
            except REDIS_ERRORS as error:
                self.redis_failed(error)
        if count is None:
            count = self.hit_locally(key, window)
        return seconds_left_over(count, limit=limit, window=window, window_seconds=window_seconds)

    def over_limit(self, key: str, *, limit: int, window_seconds: int) -> int:
        """Like `hit`, without counting: 0 while the current window of `key` is within `limit`."""
        window = int(time.time() // window_seconds)
        count: int | None = None
        if (client := self.redis_to_try()) is not None:
            try:
                count = int(client.get(self.key(f"limit:{key}:{window}")) or 0)
                self.redis_answered()
            except REDIS_ERRORS as error:
                self.redis_failed(error)
        if count is None:
            with self.lock:
                count = self.windows.get((key, window), 0)
        return seconds_left_over(count, limit=limit, window=window, window_seconds=window_seconds)

    def hit_locally(self, key: str, window: int) -> int:
        with self.lock:
            if len(self.windows) > 10_000:
                self.windows = {k: v for k, v in self.windows.items() if k[1] >= window}
            count = self.windows[(key, window)] = self.windows.get((key, window), 0) + 1
        return count

    # --- Claims: one holder at a time, for at most so long ----------------------

    def claim(self, key: str, *, owner: str, seconds: int) -> bool:
        if (client := self.redis_to_try()) is not None:
            try:
                taken = bool(client.set(self.key(f"claim:{key}"), owner, nx=True, ex=seconds))
                self.redis_answered()
                return taken
            except REDIS_ERRORS as error:
                self.redis_failed(error)
        now = time.monotonic()
        with self.lock:
            holder = self.claims.get(key)
            if holder is not None and holder[1] > now:
                return False
            self.claims[key] = (owner, now + seconds)
            return True

    def release(self, key: str, *, owner: str) -> None:
        with self.lock:
            if self.claims.get(key, ("",))[0] == owner:
                del self.claims[key]
        if self.redis_to_try() is not None:
            try:
                self.release_script(keys=[self.key(f"claim:{key}")], args=[owner])
                self.redis_answered()
            except REDIS_ERRORS as error:
                self.redis_failed(error)  # the claim expires by itself

    # --- Open sockets ---------------------------------------------------------

    def open_socket(self, key: str, *, limit: int) -> bool:
        with self.lock:
            mine = self.sockets.get(key, 0)
            taken = None
            if self.redis_to_try() is not None:
                try:
                    taken = bool(
                        self.open_script(
                            keys=[self.key(f"sockets:{key}"), self.key("socket-leases")],
                            args=[self.process, mine, limit, settings.CHAT_SOCKET_LEASE_SECONDS],
                        )
                    )
                    self.start_heartbeat()
                    self.redis_answered()
                except REDIS_ERRORS as error:
                    self.redis_failed(error)
            if taken is None:
                taken = mine + 1 <= limit
                self.changed_sockets.add(key)
            if taken:
                self.sockets[key] = mine + 1
            return taken

    def close_socket(self, key: str) -> None:
        with self.lock:
            mine = max(self.sockets.get(key, 0) - 1, 0)
            if mine:
                self.sockets[key] = mine
            else:
                self.sockets.pop(key, None)
            client = self.redis_to_try()
            if client is None:
                self.changed_sockets.add(key)
                return
            try:
                if mine:
                    client.hset(self.key(f"sockets:{key}"), self.process, mine)
                else:
                    client.hdel(self.key(f"sockets:{key}"), self.process)
                self.redis_answered()
            except REDIS_ERRORS as error:
                self.redis_failed(error)
                self.changed_sockets.add(key)

    # --- The lease ------------------------------------------------------------

    def start_heartbeat(self, wake: bool = False) -> None:
        if self.heartbeat is None or not self.heartbeat.is_alive():
            self.wake = threading.Event()
            self.heartbeat = threading.Thread(target=self.keep_lease, name="relevo-socket-lease", daemon=True)
            self.heartbeat.start()
        elif wake:
            self.wake.set()

    def keep_lease(self) -> None:
        while True:
            self.wake.wait(settings.CHAT_SOCKET_LEASE_SECONDS / 3)
            self.wake.clear()
            try:
                self.renew_lease()
            except Exception as error:  # the heartbeat must outlive any error
                with self.lock:
                    self.redis_failed(error)

    def renew_lease(self) -> None:
        """Renew the lease and rewrite every count this process holds or changed."""
        with self.lock:
            keys = set(self.sockets) | self.changed_sockets
            counts = {key: self.sockets.get(key, 0) for key in keys}
        names = list(counts)
        for start in range(0, max(len(names), 1), RENEW_BATCH):
            batch = names[start : start + RENEW_BATCH]
            self.renew_script(
                keys=[self.key("socket-leases"), *(self.key(f"sockets:{name}") for name in batch)],
                args=[self.process, settings.CHAT_SOCKET_LEASE_SECONDS, *(counts[name] for name in batch)],
            )
        with self.lock:
            self.changed_sockets.difference_update(name for name in names if self.sockets.get(name, 0) == counts[name])
            self.redis_answered()

    def clear(self) -> None:
        """Forget this process's counts (tests: ids restart with each test database)."""
        with self.lock:
            self.changed_sockets.update(self.sockets)
            self.sockets.clear()
            self.windows.clear()


_counters: SharedCounters | None = None
_counters_lock = threading.Lock()


def shared_counters() -> SharedCounters:
    """This process's counters (a forked child gets its own)."""
    global _counters
    if _counters is None or _counters.pid != os.getpid():
        with _counters_lock:
            if _counters is None or _counters.pid != os.getpid():
                _counters = SharedCounters(settings.REDIS, settings.CHANNEL_LAYER_PREFIX)
    return _counters


def hit(key: str, *, limit: int, window_seconds: int) -> int:
    """Count one event in the current window of `key`; 0 if within `limit`, else the
    seconds until the window ends. Shared by every process through Redis."""
    return shared_counters().hit(key, limit=limit, window_seconds=window_seconds)


def over_limit(key: str, *, limit: int, window_seconds: int) -> int:
    """The seconds until the window of `key` ends if it is already past `limit`, else 0 (counts nothing)."""
    return shared_counters().over_limit(key, limit=limit, window_seconds=window_seconds)


def open_socket(key: str, *, limit: int) -> bool:
    """Count an open socket under `key`; False (and not counted) past `limit`."""
    return shared_counters().open_socket(key, limit=limit)


def close_socket(key: str) -> None:
    shared_counters().close_socket(key)


def claim(key: str, *, owner: str, seconds: int) -> bool:
    """Take `key` for `owner` unless someone holds it (every process, through Redis; per process
    without it); the claim lapses after `seconds` whatever happens to its owner."""
    return shared_counters().claim(key, owner=owner, seconds=seconds)


def release(key: str, *, owner: str) -> None:
    """Give `key` back, if `owner` still holds it."""
    shared_counters().release(key, owner=owner)


def check_hourly(counters: list[tuple[str, int]]) -> None:
    """Count one event under each (key, limit) for this hour; raise RateLimited at the first one
    over its limit (the later ones are not counted)."""
    for key, limit in counters:
        retry_after = hit(key, limit=limit, window_seconds=3600)
        if retry_after:
            raise RateLimited(retry_after)
