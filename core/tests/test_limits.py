"""core.limits: the token bucket of each socket, and the counters every process shares through
Redis (hourly windows, open sockets as per-process leases, claims), each with its per-process
fallback. Every test counts under a prefix of its own in the shared Redis."""

import time
import uuid

import pytest
import redis
from django.conf import settings

from core import limits
from core.errors import RateLimited

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="the shared counters need Redis (README)")


@pytest.fixture
def prefix():
    name = f"core-limits-test-{uuid.uuid4().hex[:8]}"
    yield name
    if settings.REDIS_URL:
        with redis.Redis.from_url(settings.REDIS_URL) as probe:
            keys = list(probe.scan_iter(f"{name}:*"))
            if keys:
                probe.delete(*keys)


def two_processes(prefix: str) -> tuple[limits.SharedCounters, limits.SharedCounters]:
    """Two processes' views of the same shared counters."""
    return limits.SharedCounters(settings.REDIS_URL, prefix), limits.SharedCounters(settings.REDIS_URL, prefix)


# --- The token bucket (per socket, no I/O) ---------------------------------------------


def test_a_bucket_gives_its_burst_at_once_then_says_how_long_until_the_next_token(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    bucket = limits.TokenBucket(rate_per_minute=60, burst=3)
    bucket.updated = clock[0]  # its default factory is the real clock
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take() == pytest.approx(1.0)  # one token a second
    clock[0] += 0.5
    assert bucket.take() == pytest.approx(0.5)
    clock[0] += 0.5
    assert bucket.take() == 0.0


def test_a_bucket_saves_up_no_more_than_its_burst(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    bucket = limits.TokenBucket(rate_per_minute=600, burst=2)
    bucket.updated = clock[0]
    clock[0] += 3600
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, pytest.approx(0.1)]


def test_within_the_limit_nothing_is_left_to_wait_and_past_it_the_rest_of_the_window():
    window_seconds = 3600
    window = int(time.time() // window_seconds)
    assert limits.seconds_left_over(5, limit=5, window=window, window_seconds=window_seconds) == 0
    left = limits.seconds_left_over(6, limit=5, window=window, window_seconds=window_seconds)
    assert 1 <= left <= window_seconds


# --- Hourly windows ---------------------------------------------------------------------


@needs_redis
def test_hourly_windows_are_counted_across_processes(prefix):
    one, two = two_processes(prefix)
    assert one.hit("conversations:ip:10.0.0.1", limit=2, window_seconds=3600) == 0
    assert two.hit("conversations:ip:10.0.0.1", limit=2, window_seconds=3600) == 0
    assert one.over_limit("conversations:ip:10.0.0.1", limit=2, window_seconds=3600) == 0, "full, not over"
    assert two.hit("conversations:ip:10.0.0.1", limit=2, window_seconds=3600) > 0
    assert one.over_limit("conversations:ip:10.0.0.1", limit=2, window_seconds=3600) > 0
    assert one.hit("conversations:ip:10.0.0.2", limit=2, window_seconds=3600) == 0, "each key its own count"


def test_embedded_windows_count_in_the_process_and_over_limit_counts_nothing():
    embedded = limits.SharedCounters("", "embedded")
    assert embedded.over_limit("k", limit=1, window_seconds=3600) == 0
    assert embedded.over_limit("k", limit=0, window_seconds=3600) == 0, "looking is not counting"
    assert embedded.hit("k", limit=1, window_seconds=3600) == 0
    assert embedded.hit("k", limit=1, window_seconds=3600) > 0
    assert embedded.over_limit("k", limit=1, window_seconds=3600) > 0


def test_check_hourly_stops_at_the_first_counter_over_its_limit_and_counts_no_later_one(settings, monkeypatch):
    embedded = limits.SharedCounters("", "embedded")
    monkeypatch.setattr(limits, "shared_counters", lambda: embedded)
    limits.check_hourly([("ip", 1), ("widget", 5)])
    with pytest.raises(RateLimited):
        limits.check_hourly([("ip", 1), ("widget", 5)])
    window = int(time.time() // 3600)
    assert embedded.windows[("ip", window)] == 2
    assert embedded.windows[("widget", window)] == 1, "the refused event was not counted under the later key"


# --- Open sockets: per-process leases ----------------------------------------------------


@needs_redis
def test_open_sockets_are_limited_across_processes_and_closing_frees_a_place(prefix):
    one, two = two_processes(prefix)
    assert one.open_socket("conversation:1", limit=2)
    assert two.open_socket("conversation:1", limit=2)
    assert not one.open_socket("conversation:1", limit=2)
    assert not two.open_socket("conversation:1", limit=2)
    two.close_socket("conversation:1")
    assert one.open_socket("conversation:1", limit=2)
    assert one.sockets == {"conversation:1": 2} and two.sockets == {}


@needs_redis
def test_the_sockets_of_a_process_whose_lease_ran_out_stop_counting(prefix):
    one = limits.SharedCounters(settings.REDIS_URL, prefix)
    with redis.Redis.from_url(settings.REDIS_URL) as probe:  # a process that died holding 5 sockets
        probe.hset(one.key("sockets:conversation:1"), "dead:process", 5)
        probe.zadd(one.key("socket-leases"), {"dead:process": time.time() - 1})
        assert one.open_socket("conversation:1", limit=1)
        assert probe.hget(one.key("sockets:conversation:1"), "dead:process") is None, "its count is dropped"


@needs_redis
def test_sockets_counted_while_redis_was_away_are_written_back_by_the_next_renewal(prefix):
    one, two = two_processes(prefix)
    one.retry_redis_at = time.monotonic() + 3600  # Redis is away for this process
    assert one.open_socket("conversation:1", limit=1)
    assert two.open_socket("conversation:1", limit=1), "the other process could not know"
    two.close_socket("conversation:1")
    one.retry_redis_at = 0
    one.renew_lease()
    assert not two.open_socket("conversation:1", limit=1), "the first process's socket counts again"
    assert one.changed_sockets == set()


def test_embedded_sockets_are_limited_in_the_process():
    embedded = limits.SharedCounters("", "embedded")
    assert embedded.open_socket("k", limit=1)
    assert not embedded.open_socket("k", limit=1)
    embedded.close_socket("k")
    embedded.close_socket("k")  # a second close never goes below zero
    assert embedded.sockets == {}
    assert embedded.open_socket("k", limit=1)


# --- Claims (moved from chats/tests/test_sweeps_of_a_backlog.py) -----------------------------


@needs_redis
def test_a_claim_whose_worker_died_lapses():
    counters = limits.SharedCounters(settings.REDIS_URL, f"{settings.CHANNEL_LAYER_PREFIX}-lapse")
    assert counters.claim("task:x", owner="a", seconds=1)
    assert not counters.claim("task:x", owner="b", seconds=1)
    assert counters.redis is not None
    counters.redis.pexpire(counters.key("claim:task:x"), 1)  # its time is up
    deadline = time.monotonic() + 2
    while not counters.claim("task:x", owner="b", seconds=1):
        assert time.monotonic() < deadline, "the claim never lapsed"
    counters.release("task:x", owner="b")


def test_without_redis_claims_hold_within_the_process():
    embedded = limits.SharedCounters("", "embedded")
    assert embedded.claim("task:x", owner="a", seconds=60)
    assert not embedded.claim("task:x", owner="b", seconds=60)
    embedded.release("task:x", owner="b")
    assert not embedded.claim("task:x", owner="b", seconds=60)
    embedded.release("task:x", owner="a")
    assert embedded.claim("task:x", owner="b", seconds=60)


@needs_redis
def test_a_claim_is_held_across_processes_and_only_its_owner_gives_it_back(prefix):
    one, two = two_processes(prefix)
    assert one.claim("task:sweep", owner="a", seconds=60)
    two.release("task:sweep", owner="b")  # not its claim: nothing happens
    assert not two.claim("task:sweep", owner="b", seconds=60), "the other process sees the claim"
    one.release("task:sweep", owner="a")
    assert two.claim("task:sweep", owner="b", seconds=60)


def test_an_embedded_claim_lapses_after_its_seconds(monkeypatch):
    clock = [50.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    embedded = limits.SharedCounters("", "embedded")
    assert embedded.claim("task:x", owner="a", seconds=10)
    clock[0] += 10.5
    assert embedded.claim("task:x", owner="b", seconds=10)
