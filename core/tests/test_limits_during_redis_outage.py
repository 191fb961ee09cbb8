"""While Redis does not answer, flood and socket limits count in the process (so new
chats still start) and say so once per outage, not once per call."""

import logging

from core import limits

DOWN = "redis://127.0.0.1:1/0"  # nothing listens there


def outage_warnings(caplog) -> list[str]:
    return [record.message for record in caplog.records if "Redis unreachable" in record.message]


def test_sockets_are_counted_in_the_process_while_redis_is_down(caplog):
    counters = limits.SharedCounters(DOWN, "outage-test")
    with caplog.at_level(logging.WARNING, logger="core.limits"):
        assert counters.open_socket("conversation:1", limit=2)
        counters.retry_redis_at = 0  # try Redis again at once rather than after a second
        assert counters.open_socket("conversation:1", limit=2)
        counters.retry_redis_at = 0
        assert not counters.open_socket("conversation:1", limit=2)
        counters.close_socket("conversation:1")
        assert counters.open_socket("conversation:1", limit=2)
    assert len(outage_warnings(caplog)) == 1


def test_hourly_floods_are_counted_in_the_process_while_redis_is_down(caplog):
    counters = limits.SharedCounters(DOWN, "outage-test")
    with caplog.at_level(logging.WARNING, logger="core.limits"):
        assert counters.hit("conversations:ip:10.0.0.1", limit=1, window_seconds=3600) == 0
        counters.retry_redis_at = 0
        assert counters.hit("conversations:ip:10.0.0.1", limit=1, window_seconds=3600) > 0
        assert counters.hit("conversations:ip:10.0.0.2", limit=1, window_seconds=3600) == 0
    assert len(outage_warnings(caplog)) == 1


def test_embedded_limits_count_in_the_process_without_a_word():
    counters = limits.SharedCounters("", "embedded")
    assert counters.open_socket("conversation:1", limit=1)
    assert not counters.open_socket("conversation:1", limit=1)
    assert counters.redis is None and counters.outage_since is None
