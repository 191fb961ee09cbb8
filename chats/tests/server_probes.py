"""Look at a real server from outside: raw HTTP requests, and the connections it holds
as PostgreSQL and Redis see them (their side, not the process's own idea)."""

from __future__ import annotations

import asyncio
import json
import os

import psycopg2
import redis
from django.db import connection


async def http_status(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> int:
    """One HTTP/1.1 request on its own TCP connection; the response's status code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Connection: close",
        f"Content-Length: {len(body)}",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
    ]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()
    writer.close()
    return int(status_line.split()[1])


def database_connections_of_others() -> int:
    """Connections to the test database that are not this test process's own (named
    after its pid, see DATABASE_APPLICATION_NAME): the servers'."""
    settings = connection.settings_dict
    with psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or "",
        host=settings["HOST"],
        port=settings["PORT"],
        application_name="probe",
    ) as probe:
        with probe.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                "AND application_name NOT LIKE %s",
                [settings["NAME"], f"%:{os.getpid()}"],
            )
            count = cursor.fetchone()[0]
    probe.close()
    return count


def redis_clients(port: int) -> list[dict]:
    """Every client of the Redis on `port` but the one asking."""
    with redis.Redis(port=port) as probe:
        me = probe.client_id()
        return [client for client in probe.client_list() if int(client["id"]) != me]


async def next_frame(socket, predicate, timeout=10):
    """The next JSON frame from a real `websockets` client socket that matches `predicate`."""
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if predicate(frame):
                return frame
