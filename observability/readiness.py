"""Is this process ready for traffic: not draining, and the database and Redis answer.

Each check returns None when it passes and why it failed otherwise; `/readyz` names the
failed checks (only their names: the endpoint is public) and logs why. A check costs one
round trip: a balancer asks every process every few seconds.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection

from core.draining import is_draining
from core.redis_connection import RedisAddress

logger = logging.getLogger(__name__)
redis_clients: dict[RedisAddress, redis.Redis] = {}  # one per address; its pool reconnects after an outage


def draining_problem() -> str | None:
    return "this process is draining" if is_draining() else None


def database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # the drivers' errors vary: any failure is "not ready"
        return repr(error)
    return None


def redis_client(address: RedisAddress) -> redis.Redis:
    """A client of Redis as the settings name it (a URL or the Sentinels' master): the one builder."""
    if address not in redis_clients:
        timeout = settings.READINESS_TIMEOUT_SECONDS
        redis_clients[address] = address.blocking_client(
            max_connections=1,
            timeout=timeout,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            client_name="relevo-readiness",
        )
    return redis_clients[address]


def redis_problem() -> str | None:
    """Redis carries the channel layer, the shared limits and Celery; without it (./run) there is none."""
    address = RedisAddress.of(settings.REDIS)
    if not address:
        return None
    try:
        redis_client(address).ping()
    except Exception as error:  # redis-py's errors and OSError alike
        return repr(error)
    return None


CHECKS = {"draining": draining_problem, "database": database_problem, "redis": redis_problem}


def failed_checks() -> list[str]:
    """The names of the checks that fail (empty: ready); why each failed goes to the log."""
    failed = []
    for name, check in CHECKS.items():
        problem = check()
        if problem:
            failed.append(name)
            if name != "draining":  # a drain is on purpose; an outage is worth a line
                logger.warning("not ready: %s: %s", name, problem)
    return failed
