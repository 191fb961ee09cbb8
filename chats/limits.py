"""Flood limits: a token bucket per socket (no I/O on the message path) and
fixed-window counters in the shared cache for limits across processes."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.cache import cache

from chats.errors import RateLimited


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


def hit(key: str, *, limit: int, window_seconds: int) -> int:
    """Count one event in the current window of `key`; 0 if within `limit`, else the
    seconds until the window ends. Shared by every process through the cache."""
    window = int(time.time() // window_seconds)
    cache_key = f"limit:{key}:{window}"
    cache.add(cache_key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 5)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * window_seconds - time.time()))


def open_socket(key: str, *, limit: int, ttl_seconds: int = 3600) -> bool:
    """Count an open socket under `key`; False (and not counted) past `limit`."""
    cache_key = f"sockets:{key}"
    cache.add(cache_key, 0, timeout=ttl_seconds)
    if cache.incr(cache_key) > limit:
        cache.decr(cache_key)
        return False
    cache.touch(cache_key, ttl_seconds)
    return True


def close_socket(key: str) -> None:
    try:
        if cache.decr(f"sockets:{key}") < 0:
            cache.set(f"sockets:{key}", 0)
    except ValueError:
        pass


def check_hourly(counters: list[tuple[str, int]]) -> None:
    """Count one event under each (key, limit) for this hour; raise RateLimited at the first one
    over its limit (the later ones are not counted)."""
    for key, limit in counters:
        retry_after = hit(key, limit=limit, window_seconds=3600)
        if retry_after:
            raise RateLimited(retry_after)
