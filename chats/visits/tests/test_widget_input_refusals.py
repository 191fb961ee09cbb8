"""What the widget's endpoints and the visit socket refuse, they refuse alike (one rule each:
clients.widget_access for the key and Origin, clients.text for what a visitor types).

Before the rules were one, the visit socket sent a widget key with a NUL to PostgreSQL (which
cannot compare it) and crashed where the endpoints answered 404; and a well-formed email longer
than the column was a 500 on the endpoints and was cut into another address on the visit."""

import json
from urllib.parse import quote

import pytest
from channels.db import database_sync_to_async
from django.test import Client as HttpClient

from chats.models import Conversation
from chats.visits.models import Visit
from chats.visits.tests.visit_sockets import SHOP, flush, open_visit, visit_communicator
from clients.errors import OriginNotAllowed
from clients.models import OfflineMessage
from clients.widget_access import client_for_widget
from conftest import make_client, receive_until
from core.errors import NotFound

pytestmark = pytest.mark.django_db(transaction=True)

LONG_EMAIL = "m" * 64 + "@" + ".".join(["d" * 60] * 4) + ".com"  # well-formed, 313 characters
NOT_KEYS = ["abc\x00def", "k" * 41, "k" * 5000, "key\x1bwith-escape"]


@pytest.fixture
def shop(db):
    return make_client("Shop", allowed_origins=SHOP, tracks_visitors_before_chat=True)


@pytest.mark.parametrize("key", NOT_KEYS)
def test_a_key_that_cannot_be_one_is_unknown_without_asking_the_database(django_assert_num_queries, key):
    with django_assert_num_queries(0), pytest.raises(NotFound):
        client_for_widget(key, SHOP)


def test_a_known_key_from_a_listed_origin_is_its_client_and_any_other_origin_is_refused(shop):
    assert client_for_widget(shop.widget_key, SHOP) == shop
    assert client_for_widget(shop.widget_key, None, may_lack_origin=True) == shop  # a GET from its own page
    for origin in ["https://evil.example", "null", None]:
        with pytest.raises(OriginNotAllowed):
            client_for_widget(shop.widget_key, origin)


@pytest.mark.parametrize("key", NOT_KEYS)
def test_the_widget_endpoints_answer_such_a_key_with_404(shop, key):
    response = HttpClient().get(f"/api/widget/{quote(key)}/", HTTP_ORIGIN=SHOP)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("key", NOT_KEYS)
async def test_the_visit_socket_refuses_such_a_key_without_crashing(shop, key):
    page = visit_communicator(quote(key))
    connected, _ = await page.connect(timeout=5)
    assert not connected
    await page.wait()


@pytest.mark.parametrize(
    ("what", "data", "model"),
    [
        ("conversations", {"name": "Maria"}, Conversation),
        ("offline-messages", {"message": "Call me", "consent": True}, OfflineMessage),
    ],
)
def test_an_email_longer_than_the_column_is_a_400_on_the_endpoints(shop, what, data, model):
    response = HttpClient().post(
        f"/api/widget/{shop.widget_key}/{what}/",
        content_type="application/json",
        data=json.dumps({**data, "email": LONG_EMAIL}),
        HTTP_ORIGIN=SHOP,
    )
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "detail": "Enter a valid email address."}
    assert not model.objects.exists()


async def test_an_email_longer_than_the_column_is_refused_on_the_visit_not_cut(shop):
    page, _ = await open_visit(shop.widget_key)
    await page.send_json_to({"type": "identify", "name": "Maria", "email": LONG_EMAIL})
    error = await receive_until(page, lambda f: f["type"] == "error")
    assert (error["code"], error["detail"]) == ("bad_frame", "Enter a valid email address.")
    await flush()
    [visit] = await database_sync_to_async(lambda: list(Visit.objects.all()))()
    assert visit.email == ""
    await page.disconnect()
