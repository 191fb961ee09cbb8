"""Two real uvicorn processes sharing PROMETHEUS_MULTIPROC_DIR: whichever is scraped, /metrics
sums both; a process that dies stops counting its open sockets."""

import asyncio
import json
import urllib.request
import uuid

import pytest
import websockets
from asgiref.sync import sync_to_async
from prometheus_client.parser import text_string_to_metric_families

from chats.tests.server_probes import next_frame
from conftest import make_agent, make_client, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]
TOKEN = "scrape-token-for-two-processes"
MESSAGES_EACH = 4


def setup_chats(count: int) -> list:
    shop = make_client("Fleet shop")
    make_agent("ana", shop, max_chats=count)
    return [start_chat(shop, name=f"Visitor {n}") for n in range(count)]


def scrape(port: int) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {TOKEN}", "Host": "127.0.0.1"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own server)
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def open_visitors(values: dict) -> float:
    return values.get(("relevo_open_sockets", (("kind", "visitor"),)), 0.0)


def stored_from_visitors(values: dict) -> float:
    return values.get(("relevo_messages_stored_total", (("sender", "visitor"),)), 0.0)


async def talk(port: int, chat) -> websockets.ClientConnection:
    """Open a visitor socket on `port` and send MESSAGES_EACH messages, each acked."""
    url = f"ws://127.0.0.1:{port}/ws/chat/{chat.conversation.pk}/"
    socket = await websockets.connect(url, origin="https://shop.example", subprotocols=[f"relevo-token.{chat.token}"])
    await next_frame(socket, lambda f: f["type"] == "status")
    for n in range(MESSAGES_EACH):
        await socket.send(json.dumps({"type": "message", "client_id": str(uuid.uuid4()), "body": f"message {n}"}))
        await next_frame(socket, lambda f: f["type"] == "ack")
    return socket


async def until(condition, timeout: float = 10) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await sync_to_async(condition)():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.1)


async def test_two_processes_are_summed_and_a_dead_one_stops_counting(asgi_servers, tmp_path):
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "METRICS_TOKEN": TOKEN}
    one, two = asgi_servers(env=env), asgi_servers(env=env)
    chats = await sync_to_async(setup_chats)(3)
    sockets = [await talk(one.port, chats[0]), await talk(one.port, chats[1]), await talk(two.port, chats[2])]

    for port in (one.port, two.port):
        values = await sync_to_async(scrape)(port)
        assert open_visitors(values) == 3
        assert stored_from_visitors(values) == 3 * MESSAGES_EACH
        assert values[("relevo_group_commit_batch_size_count", ())] >= 2  # batches of both processes

    await sockets[0].close()
    await until(lambda: open_visitors(scrape(two.port)) == 2)

    two.stop(kill=True)  # no clean exit: its files stay, its open socket must not count
    values = await sync_to_async(scrape)(one.port)
    assert open_visitors(values) == 1
    assert stored_from_visitors(values) == 3 * MESSAGES_EACH  # what it stored still counts
    await sockets[1].close()
