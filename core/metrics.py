"""Every metric Relevo exports at `GET /metrics` (Prometheus text format), defined here once.

The places where a thing happens increment these (core.sockets for sockets, chats' writer,
group commit and transcript for messages, core.task_metrics for Celery tasks); gauges that
describe the database (queues, outboxes) are computed at scrape time by observability's
collectors. Every name starts with `relevo_`; labels are bounded: socket kinds, reasons,
error codes, senders, task names, and clients only in the scrape-time gauges.

Several processes: with PROMETHEUS_MULTIPROC_DIR set (before the process starts;
prometheus-client reads it at import), every process of the machine (uvicorn processes,
Celery workers) writes its values in files there and `exposition()` sums them, whichever
process is scraped; the open-socket gauge counts live processes only. Unset, a process
exports its own values (./run's single process). See docs/operations.md.
"""

from __future__ import annotations

import atexit
import glob
import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from prometheus_client import REGISTRY, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # the text format every Prometheus reads
MULTIPROCESS_DIR: str = settings.PROMETHEUS_MULTIPROC_DIR
if MULTIPROCESS_DIR:
    Path(MULTIPROCESS_DIR).mkdir(parents=True, exist_ok=True)  # before the first value's file is made

# --- Sockets (core.sockets' FrameSocket: every chat, visit and floor socket) -------------
OPEN_SOCKETS = Gauge(
    "relevo_open_sockets",
    "Websockets open now, by kind (visitor, agent, visit, floor).",
    ["kind"],
    multiprocess_mode="livesum",
)
SOCKET_REFUSALS = Counter(
    "relevo_socket_refusals",
    "Websocket handshakes refused, by kind and reason (origin, auth, not_found, rate_limit, budget, other).",
    ["kind", "reason"],
)
FRAMES_REFUSED = Counter(
    "relevo_socket_frames_refused",
    "Frames answered with an error frame, by socket kind and error code (rate_limited: the socket's rate limit).",
    ["kind", "code"],
)

# --- Messages (chats.events, chats.group_commit, chats.transcript) ----------------------
MESSAGES_STORED = Counter(
    "relevo_messages_stored", "Messages committed to a transcript, by sender (visitor, agent, system).", ["sender"]
)
MESSAGES_RELAYED = Counter("relevo_messages_relayed", "Message frames sent on sockets, by socket kind.", ["kind"])
GROUP_COMMIT_BATCH_SIZE = Histogram(
    "relevo_group_commit_batch_size",
    "Messages stored in one group-commit transaction.",
    buckets=(1, 2, 5, 10, 20, 50, 100),
)
MESSAGE_STORE_SECONDS = Histogram(
    "relevo_message_store_seconds",
    "From a socket handing a message to the group commit to its commit (the wait for the batch included).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
FIRST_RESPONSE_SECONDS = Histogram(
    "relevo_first_response_seconds",
    "From a chat's request to its agent's first reply the visitor sees.",
    buckets=(5, 10, 20, 30, 45, 60, 90, 120, 300, 600, 1800, 3600),
)

# --- Celery (core.task_metrics) ------------------------------------------------------------
CELERY_TASK_SECONDS = Histogram(
    "relevo_celery_task_seconds",
    "Run time of Celery tasks, by task name and final state.",
    ["task", "state"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)

# --- Computed at scrape time (observability.collectors) -------------------------------------
QUEUE_LENGTH = "relevo_queue_length"
QUEUE_OLDEST_WAIT_SECONDS = "relevo_queue_oldest_wait_seconds"
OUTBOX_ROWS = "relevo_outbox_rows"


class Scrape:
    """What one scrape exports: the processes' metrics, then the given scrape-time collectors."""

    def __init__(self, collectors: Iterable[Collector]) -> None:
        self.collectors = list(collectors)

    def collect(self) -> Iterable[Metric]:
        for collector in self.collectors:
            yield from collector.collect()


def exposition(*scrape_time: Collector) -> bytes:
    """The text of `GET /metrics`: every process's metrics (summed in multiprocess mode) and `scrape_time`'s."""
    if MULTIPROCESS_DIR:
        forget_dead_processes(MULTIPROCESS_DIR)
        processes: Collector = MultiProcessCollector(None, path=MULTIPROCESS_DIR)  # type: ignore[no-untyped-call]
    else:
        processes = REGISTRY
    return generate_latest(Scrape([processes, *scrape_time]))


def forget_dead_processes(directory: str) -> None:
    """Drop the live gauges of processes that are gone (a killed server's open sockets are not open).

    The directory is per machine, so a pid names a process here; counters and histograms
    of dead processes are kept, as prometheus-client's multiprocess mode does."""
    for path in glob.glob(os.path.join(directory, "gauge_live*_*.db")):
        pid = Path(path).stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not is_alive(int(pid)):
            forget_process(int(pid), directory)


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def forget_process(pid: int, directory: str) -> None:
    """Remove a process's live gauges (prometheus-client leaves this function untyped)."""
    mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]


def forget_this_process() -> None:
    """At a clean exit: this process's open sockets are no longer open (its pid then, not at import: workers fork)."""
    forget_process(os.getpid(), MULTIPROCESS_DIR)


if MULTIPROCESS_DIR:
    atexit.register(forget_this_process)
