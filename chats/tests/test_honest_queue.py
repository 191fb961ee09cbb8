"""A queued visitor sees an estimated wait (place in line × recent handle time ÷ serving slots),
updated live in the status frame, and is offered to leave a message after the client's longest
wait, or at once when no agent serving the client is online."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agency.models import Presence
from chats import services, visitor_presence
from chats.models import Conversation, ConversationStatus, Visitor
from conftest import make_agent, make_client, receive_until, start_chat, visitor_communicator

pytestmark = pytest.mark.django_db(transaction=True)


def handled_chats(client, agent, *, seconds: int, count: int = 3) -> None:
    """Recent chats of the client, each handled in `seconds` (assigned → closed)."""
    now = timezone.now()
    for _n in range(count):
        _, token_hash = Conversation.new_token()
        Conversation.objects.create(
            client=client,
            visitor=Visitor.objects.create(client=client),
            agent=agent,
            token_hash=token_hash,
            status=ConversationStatus.CLOSED,
            assigned_at=now - timedelta(seconds=seconds + 60),
            closed_at=now - timedelta(seconds=60),
        )


@pytest.fixture
def busy_shop(db):
    """Ana (one slot, online) is busy with a chat; recent chats took 200 s each; two visitors wait."""
    shop = make_client(max_queue_wait_seconds=120)
    ana = make_agent("ana", shop, max_chats=1)
    handled_chats(shop, ana, seconds=200)
    start_chat(shop, name="served")
    return shop, ana, [start_chat(shop, name=f"waiting {n}") for n in range(2)]


async def connected(chat):
    communicator = visitor_communicator(chat.conversation.pk, chat.token)
    assert (await communicator.connect(timeout=5))[0]
    return communicator, await receive_until(communicator, lambda f: f["type"] == "status")


async def test_the_status_frame_carries_an_estimated_wait_that_follows_the_place_in_line(busy_shop):
    _shop, _ana, (first, second) = busy_shop
    first_socket, first_status = await connected(first)
    second_socket, second_status = await connected(second)
    assert (first_status["queue_position"], first_status["estimated_wait_seconds"]) == (1, 200)
    assert (second_status["queue_position"], second_status["estimated_wait_seconds"]) == (2, 400)
    assert first_status["leave_message_offered"] is False

    await database_sync_to_async(services.mark_missed)(conversation_id=first.conversation.pk)
    moved = await receive_until(second_socket, lambda f: f["type"] == "status")
    assert (moved["queue_position"], moved["estimated_wait_seconds"]) == (1, 200)
    for communicator in (first_socket, second_socket):
        await communicator.disconnect()


async def test_the_offer_comes_when_the_longest_wait_ends_without_waiting_for_a_heartbeat(busy_shop):
    shop, _ana, (first, _second) = busy_shop
    await database_sync_to_async(type(shop).objects.filter(pk=shop.pk).update)(max_queue_wait_seconds=2)
    socket, status = await connected(first)
    assert status["leave_message_offered"] is False and status["leave_message_offered_in_seconds"] in (1, 2)
    offered = await receive_until(socket, lambda f: f["type"] == "status", timeout=6)  # no ping sent
    assert offered["leave_message_offered"] is True and offered["leave_message_offered_in_seconds"] is None
    await socket.disconnect()


async def test_after_the_longest_wait_a_heartbeat_brings_the_offer_to_leave_a_message(busy_shop):
    _shop, _ana, (first, _second) = busy_shop
    socket, status = await connected(first)
    assert status["leave_message_offered"] is False
    await database_sync_to_async(Conversation.objects.filter(pk=first.conversation.pk).update)(
        visitor_connected_at=timezone.now() - timedelta(seconds=121)
    )
    await socket.send_json_to({"type": "ping"})
    offered = await receive_until(socket, lambda f: f["type"] == "status")
    assert offered["leave_message_offered"] is True and offered["estimated_wait_seconds"] == 200
    await socket.disconnect()


@pytest.fixture
def unstaffed_chat(db):
    shop = make_client()
    make_agent("ana", shop, presence=Presence.OFFLINE)
    return start_chat(shop)


@pytest.fixture
def served_chat_now(db):
    shop = make_client()
    make_agent("ana", shop)
    return start_chat(shop)


async def test_with_no_agent_online_the_offer_comes_at_once_without_an_estimate(unstaffed_chat):
    chat = unstaffed_chat
    socket, status = await connected(chat)
    assert status["status"] == "queued"
    assert status["estimated_wait_seconds"] is None and status["leave_message_offered"] is True
    await socket.disconnect()


async def test_an_active_chat_has_no_queue_fields(served_chat_now):
    chat = served_chat_now
    socket, status = await connected(chat)
    assert status["status"] == "active" and "estimated_wait_seconds" not in status
    await socket.disconnect()


@pytest.fixture
def polish_shop_with_an_english_agent(db):
    shop = make_client(required_language="pl")
    ana = make_agent("ana", shop)
    ana.languages = "en"
    ana.save(update_fields=["languages"])
    return start_chat(shop)


async def test_agents_without_the_clients_language_are_nobody_for_the_estimate(polish_shop_with_an_english_agent):
    """The queue counts the slots routing could use: an agent who does not speak the client's language is none."""
    socket, status = await connected(polish_shop_with_an_english_agent)
    assert status["estimated_wait_seconds"] is None and status["leave_message_offered"] is True
    await socket.disconnect()


def test_a_queued_visitors_heartbeat_reads_the_queue_in_a_few_statements(busy_shop):
    """Every queued visitor pings every 25 s: its status (place, estimate) must stay a handful of reads."""
    _shop, _ana, (first, _second) = busy_shop
    with CaptureQueriesContext(connection) as queries:
        state = visitor_presence.visitor_heartbeat(conversation_id=first.conversation.pk)
    assert state.status_frame["estimated_wait_seconds"] == 200
    # touch, the conversation with its client, the place in line, the handle time, the serving slots
    assert len(queries.captured_queries) <= 5, [q["sql"] for q in queries.captured_queries]
