"""Hundreds of concurrent anonymous requests against one real server: its PostgreSQL
connections, counted by PostgreSQL, stay within HTTP_MAX_CONCURRENT_REQUESTS +
CHAT_DB_THREADS + 1 while they run, none fails, and the requests' connections are
closed once they end (docs/operations.md, "Connection budgets")."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from chats.models import Conversation
from chats.tests.server_probes import database_connections_of_others, http_status
from conftest import make_client

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

HTTP_LIMIT, DB_THREADS = 6, 3
BUDGET = HTTP_LIMIT + DB_THREADS + 1
CONCURRENT = 200


async def under_load(requests, watch):
    """Run `requests` at once while sampling the server's connections; (statuses, most seen)."""
    most = 0
    done = asyncio.Event()

    async def sample():
        nonlocal most
        while not done.is_set():
            most = max(most, await sync_to_async(database_connections_of_others, thread_sensitive=False)())
            await asyncio.sleep(0.02)

    sampler = asyncio.create_task(sample())
    try:
        statuses = await asyncio.gather(*requests)
    finally:
        done.set()
        await sampler
    return statuses, most


async def connections_drop_to(limit: int, timeout: float = 10) -> int:
    async with asyncio.timeout(timeout):
        while (count := await sync_to_async(database_connections_of_others)()) > limit:
            await asyncio.sleep(0.1)
    return count


@pytest.fixture
def server(asgi_servers):
    return asgi_servers(env={"HTTP_MAX_CONCURRENT_REQUESTS": str(HTTP_LIMIT), "CHAT_DB_THREADS": str(DB_THREADS)})


async def test_hundreds_of_concurrent_widget_config_requests_stay_within_the_budget(server):
    shop = await sync_to_async(make_client)("Budget shop")
    path = f"/api/widget/{shop.widget_key}/"
    statuses, most = await under_load([http_status(server.port, "GET", path) for _ in range(CONCURRENT)], server)
    print(f"\n{CONCURRENT} concurrent GETs: at most {most} connections (budget {BUDGET})")  # noqa: T201
    assert set(statuses) == {200}
    assert most <= BUDGET
    await connections_drop_to(0)


async def test_hundreds_of_concurrent_new_chats_get_201_within_the_budget(server):
    shop = await sync_to_async(make_client)("Budget shop")
    path = f"/api/widget/{shop.widget_key}/conversations/"
    headers = {"Content-Type": "application/json", "Origin": "https://shop.example"}
    requests = [http_status(server.port, "POST", path, b"{}", headers) for _ in range(CONCURRENT)]
    statuses, most = await under_load(requests, server)
    print(f"\n{CONCURRENT} concurrent POSTs: at most {most} connections (budget {BUDGET})")  # noqa: T201
    assert statuses == [201] * CONCURRENT
    assert most <= BUDGET
    assert await sync_to_async(Conversation.objects.filter(client=shop).count)() == CONCURRENT
    await connections_drop_to(0)
