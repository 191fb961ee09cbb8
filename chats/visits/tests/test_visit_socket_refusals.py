"""The visit socket refuses foreign origins and unknown widgets, answers bad frames with
error frames, throttles floods, and shows live visitors only to whom they belong."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import Group
from django.test import Client as HttpClient

from agency import roles
from chats.visits.tests.visit_sockets import SHOP, flush, hello, open_visit, visit_communicator
from clients.models import Representative, RepresentativeRole
from conftest import make_agent, make_client, receive_until
from supervision.tests.test_floor_socket import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(db):
    return make_client(allowed_origins=SHOP, tracks_visitors_before_chat=True)


@pytest.mark.parametrize("origin", ["https://evil.example", "https://shop.example.evil.com", "null", None])
async def test_a_page_of_another_origin_is_refused(shop, origin):
    page = visit_communicator(shop.widget_key, origin=origin)
    connected, _ = await page.connect(timeout=5)
    assert not connected


async def test_an_unknown_widget_key_is_refused(shop):
    page = visit_communicator("no-such-key")
    connected, _ = await page.connect(timeout=5)
    assert not connected


@pytest.mark.parametrize(
    "raw, code",
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ('{"type": "message", "body": "hi"}', "bad_frame"),
        ('{"type": "hello", "visit": "not-a-uuid"}', "bad_frame"),
        ('{"type": "hello", "url": "https://shop.example/\\u0000"}', "bad_frame"),
        ('{"type": "hello", "pages_seen": 0}', "bad_frame"),
        ('{"type": "cart", "value": "lots"}', "bad_frame"),
        ('{"type": "cart", "value": -5}', "bad_frame"),
        ('{"type": "cart", "value": 1e300}', "bad_frame"),
        ('{"type": "cart", "value": 5, "currency": "euros"}', "bad_frame"),
        ('{"type": "identify", "name": "Maria", "email": "not an email"}', "bad_frame"),
        ('{"type": "conversion", "value": true}', "bad_frame"),
        ('{"type": "accept", "invitation": "7"}', "bad_frame"),
        ('{"type": "accept", "invitation": 99999}', "not_found"),
    ],
)
async def test_bad_frames_get_error_frames_and_the_socket_stays(shop, raw, code):
    page, _ = await open_visit(shop.widget_key)
    await page.send_to(text_data=raw)
    error = await receive_until(page, lambda f: f["type"] == "error")
    assert error["code"] == code and error["detail"]
    await page.send_json_to({"type": "ping"})
    await receive_until(page, lambda f: f["type"] == "pong")
    await page.disconnect()


async def test_a_frame_past_the_size_limit_is_refused(shop, settings):
    settings.CHAT_MAX_FRAME_BYTES = 200
    page, _ = await open_visit(shop.widget_key)
    await page.send_json_to(hello(title="x" * 300))
    assert (await receive_until(page, lambda f: f["type"] == "error"))["code"] == "too_long"
    await page.disconnect()


async def test_a_flooding_page_is_throttled(shop, settings):
    settings.VISIT_FRAMES_PER_MINUTE, settings.VISIT_FRAME_BURST = 1, 4
    page, _ = await open_visit(shop.widget_key)
    for _n in range(3):
        await page.send_json_to({"type": "cart", "value": 1})
    await page.send_json_to({"type": "cart", "value": 2})
    error = await receive_until(page, lambda f: f["type"] == "error")
    assert error["code"] == "rate_limited" and error["retry_after"] >= 1
    await page.disconnect()


def live_list(user):
    http = HttpClient()
    http.force_login(user)
    return http.get("/console/api/visitors/")


async def test_agents_see_the_live_visitors_of_the_clients_they_serve_only(shop):
    other = await database_sync_to_async(make_client)("Other", allowed_origins=SHOP)
    ana = await database_sync_to_async(make_agent)("ana", shop)
    olga = await database_sync_to_async(make_agent)("olga", other)
    mine, key = await open_visit(shop.widget_key, url=f"{SHOP}/shoes")
    theirs, their_key = await open_visit(other.widget_key)
    await mine.send_json_to({"type": "cart", "value": 59, "currency": "EUR", "items": 1})
    await mine.send_json_to({"type": "ping"})
    await receive_until(mine, lambda f: f["type"] == "pong")
    await flush()
    response = await database_sync_to_async(live_list)(ana.user)
    [visitor] = response.json()["visitors"]
    assert visitor["visit"] == key and visitor["page_url"] == f"{SHOP}/shoes"
    assert visitor["state"] == "browsing" and visitor["cart"] == {"value": "59.00", "currency": "EUR", "items": 1}
    assert [v["visit"] for v in (await database_sync_to_async(live_list)(olga.user)).json()["visitors"]] == [their_key]
    await mine.disconnect()
    await flush()
    assert (await database_sync_to_async(live_list)(ana.user)).json()["visitors"] == []
    await theirs.disconnect()


async def test_supervisors_see_every_client_and_client_users_or_strangers_none(shop):
    other = await database_sync_to_async(make_client)("Other", allowed_origins=SHOP)

    def people():
        supervisor = make_user("sue")
        supervisor.groups.add(Group.objects.get_or_create(name=roles.SUPERVISOR)[0])
        owner = make_user("owen")
        Representative.objects.create(user=owner, client=shop, role=RepresentativeRole.OWNER)
        return supervisor, owner, make_user("nobody")

    supervisor, owner, nobody = await database_sync_to_async(people)()
    first, _ = await open_visit(shop.widget_key)
    second, _ = await open_visit(other.widget_key)
    await flush()
    assert len((await database_sync_to_async(live_list)(supervisor)).json()["visitors"]) == 2
    assert (await database_sync_to_async(live_list)(owner)).status_code == 403
    assert (await database_sync_to_async(live_list)(nobody)).status_code == 403
    await first.disconnect()
    await second.disconnect()
