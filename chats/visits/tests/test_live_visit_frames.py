"""A page's visit socket: hello, cart, identify, conversion and chat frames, written in batches."""

from decimal import Decimal

import pytest
from channels.db import database_sync_to_async

from chats.visits.models import Conversion, Visit
from chats.visits.tests.visit_sockets import SHOP, flush, hello, open_visit, visit_communicator
from conftest import make_client, receive_until, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(db):
    return make_client(allowed_origins=SHOP, tracks_visitors_before_chat=True)


def stored(**filters):
    return database_sync_to_async(lambda: list(Visit.objects.filter(**filters)))()


async def test_a_hello_gets_a_visit_key_and_is_written_with_the_next_batch_not_at_once(shop):
    page, key = await open_visit(shop.widget_key, url=f"{SHOP}/shoes", title="Shoes", returning=True, pages_seen=3)
    assert await stored() == []
    assert await flush() == 1
    [visit] = await stored()
    assert str(visit.key) == key and visit.is_live
    assert (visit.page_url, visit.page_title) == (f"{SHOP}/shoes", "Shoes")
    assert (visit.pages_seen, visit.is_returning) == (3, True)
    assert visit.name == visit.email == ""  # nothing personal before identify
    await page.disconnect()


async def test_heartbeats_write_nothing(shop):
    page, _ = await open_visit(shop.widget_key)
    await flush()
    [before] = await stored()
    for _n in range(5):
        await page.send_json_to({"type": "ping"})
        await receive_until(page, lambda f: f["type"] == "pong")
    assert await flush() == 0
    [after] = await stored()
    assert after.last_seen_at == before.last_seen_at
    await page.disconnect()


async def test_cart_and_identify_reach_the_visit_and_a_closed_page_is_no_longer_live(shop):
    page, _ = await open_visit(shop.widget_key)
    await page.send_json_to({"type": "cart", "value": 129.5, "currency": "eur", "items": [{"sku": "a"}, {"sku": "b"}]})
    await page.send_json_to({"type": "identify", "name": "Maria", "email": "maria@example.com"})
    await page.send_json_to({"type": "ping"})
    await receive_until(page, lambda f: f["type"] == "pong")
    await flush()
    [visit] = await stored()
    assert (visit.cart_value, visit.cart_currency, visit.cart_items) == (Decimal("129.50"), "EUR", 2)
    assert (visit.name, visit.email) == ("Maria", "maria@example.com")
    await page.disconnect()
    await flush()
    [visit] = await stored()
    assert not visit.is_live


async def test_the_next_page_continues_the_visit_of_its_key(shop):
    first, key = await open_visit(shop.widget_key)
    await first.disconnect()
    second, same = await open_visit(shop.widget_key, visit=key, pages_seen=2)
    assert same == key
    await flush()
    [visit] = await stored()
    assert visit.pages_seen == 2 and visit.is_live
    await second.disconnect()


async def test_a_key_used_with_another_client_never_reaches_that_clients_visit(shop):
    other = await database_sync_to_async(make_client)("Other", allowed_origins=SHOP)
    theirs, key = await open_visit(other.widget_key)
    await theirs.send_json_to({"type": "identify", "name": "Their visitor", "email": ""})
    await theirs.send_json_to({"type": "ping"})
    await receive_until(theirs, lambda f: f["type"] == "pong")
    mine, _ = await open_visit(shop.widget_key, visit=key)
    await flush()
    assert [v.name for v in await stored(client=other)] == ["Their visitor"]
    assert [v.name for v in await stored(client=shop)] == [""]
    await theirs.disconnect()
    await mine.disconnect()


async def test_a_conversion_after_a_chat_counts_for_the_chat(shop):
    chat = await database_sync_to_async(start_chat)(shop)
    page, _ = await open_visit(shop.widget_key)
    await page.send_json_to({"type": "conversion", "value": "10", "currency": "EUR"})
    await page.send_json_to({"type": "chat", "conversation": chat.conversation.pk, "token": chat.token})
    await page.send_json_to({"type": "conversion", "value": "99.90", "currency": "EUR"})
    await page.send_json_to({"type": "ping"})
    await receive_until(page, lambda f: f["type"] == "pong")
    rows = await database_sync_to_async(
        lambda: list(Conversion.objects.order_by("pk").values_list("value", "conversation_id"))
    )()
    assert rows == [(Decimal("10.00"), None), (Decimal("99.90"), chat.conversation.pk)]
    await page.disconnect()


async def test_a_chat_frame_with_a_wrong_token_is_refused(shop):
    chat = await database_sync_to_async(start_chat)(shop)
    page, _ = await open_visit(shop.widget_key)
    await page.send_json_to({"type": "chat", "conversation": chat.conversation.pk, "token": "guess"})
    assert (await receive_until(page, lambda f: f["type"] == "error"))["code"] == "forbidden"
    await page.disconnect()


async def test_frames_before_hello_are_refused(shop):
    page = visit_communicator(shop.widget_key)
    assert (await page.connect(timeout=5))[0]
    await page.send_json_to({"type": "cart", "value": 1})
    assert (await receive_until(page, lambda f: f["type"] == "error"))["code"] == "bad_frame"
    await page.send_json_to(hello())
    await receive_until(page, lambda f: f["type"] == "visit")
    await page.disconnect()
