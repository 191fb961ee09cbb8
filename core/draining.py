"""Whether this process is draining: it finishes what it has and takes nothing new.

Process-local on purpose: it describes this process, not the fleet. Whatever stops
the process gracefully (SIGTERM) calls `start_draining()`; `/readyz` then answers 503
so the balancer sends new sockets and requests elsewhere while open ones finish.
"""

from __future__ import annotations

import threading

_draining = threading.Event()  # set from a signal handler or any thread, read from any


def start_draining() -> None:
    """From now on this process reports itself not ready (`/readyz` 503)."""
    _draining.set()


def is_draining() -> bool:
    return _draining.is_set()


def stop_draining() -> None:
    """Take new work again (a drain called off; the specs reset the flag with it)."""
    _draining.clear()
