"""Origins are parsed strictly and compared on scheme, host and port, on every surface.

An Origin is exactly `scheme://host[:port]`: a path, userinfo, a query, a bad port
or `null` is no origin and is refused (403 / a refused handshake), never a 500 and
never echoed in CORS. Bad conversation ids in the visitor socket's URL are refused
at the handshake too.
"""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client as HttpClient

from agency.asgi import application
from chats.models import Conversation
from clients.origins import Origin, parse_origin
from conftest import agent_communicator, make_agent, make_client, session_cookie, start_chat, visitor_communicator
from supervision.tests.test_floor_socket import make_user

pytestmark = pytest.mark.django_db  # sockets need real commits: they are marked transaction=True

SHOP = "https://shop.example"
NOT_THE_SHOP = [
    "https://shop.example.evil.com",  # a longer host
    "https://shop.example:443.evil.com",  # a port that is not a number (was a 500)
    "https://shop.example:99999",  # a port out of range
    "https://shop.example/evil",  # a path
    "https://evil@shop.example",  # userinfo
    "https://shop.example?x=1",  # a query
    "https://shop.example#x",  # a fragment
    "http://shop.example",  # another scheme
    "https://shop.example:8443",  # another port
    "null",
    "shop.example",
]
MALFORMED = [origin for origin in NOT_THE_SHOP if parse_origin(origin) is None]


def test_the_parser_normalises_case_and_default_ports():
    assert parse_origin("HTTPS://Shop.Example:443") == Origin("https", "shop.example", 443)
    assert parse_origin("http://127.0.0.1:8201") == Origin("http", "127.0.0.1", 8201)
    assert parse_origin("http://[::1]:8000") == Origin("http", "[::1]", 8000)
    assert str(parse_origin("https://shop.example:443")) == SHOP
    assert "https://shop.example:443.evil.com" in MALFORMED and "http://shop.example" not in MALFORMED


# --- The widget's HTTP endpoints ----------------------------------------------------


def start(client, origin: str | None):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return HttpClient().post(
        f"/api/widget/{client.widget_key}/conversations/",
        data=json.dumps({}),
        content_type="application/json",
        **headers,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("origin", NOT_THE_SHOP)
def test_the_widget_endpoints_refuse_anything_but_the_allowed_origin_without_echoing_it(origin):
    shop = make_client("Shop", allowed_origins=SHOP)
    response = start(shop, origin)
    assert response.status_code == 403 and response.json()["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response
    config = HttpClient().get(f"/api/widget/{shop.widget_key}/", HTTP_ORIGIN=origin)
    assert config.status_code == 403 and "Access-Control-Allow-Origin" not in config
    preflight = HttpClient().options(f"/api/widget/{shop.widget_key}/conversations/", HTTP_ORIGIN=origin)
    assert "Access-Control-Allow-Origin" not in preflight
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("origin", MALFORMED)
def test_a_malformed_origin_is_refused_even_when_the_client_allows_any(origin):
    response = start(make_client("Open shop"), origin)
    assert response.status_code == 403 and response.json()["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response


def test_the_allowed_origin_is_echoed_in_its_canonical_form():
    shop = make_client("Shop", allowed_origins=SHOP)
    response = start(shop, "https://shop.example:443")
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == SHOP
    preflight = HttpClient().options(f"/api/widget/{shop.widget_key}/conversations/", HTTP_ORIGIN=SHOP)
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == SHOP


# --- The visitor socket --------------------------------------------------------------


async def connects(communicator: WebsocketCommunicator) -> bool:
    connected, _ = await communicator.connect(timeout=5)
    await communicator.disconnect()
    return connected


@pytest.mark.django_db(transaction=True)
async def test_the_visitor_socket_refuses_anything_but_the_allowed_origin():
    chat = await database_sync_to_async(lambda: start_chat(make_client("Shop", allowed_origins=SHOP)))()
    for origin in NOT_THE_SHOP:
        refused = visitor_communicator(chat.conversation.pk, chat.token, origin=origin.encode())
        assert not await connects(refused), origin
    assert await connects(visitor_communicator(chat.conversation.pk, chat.token, origin=b"https://shop.example:443"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path",
    ["/ws/chat/-1/", "/ws/chat/0/", "/ws/chat/abc/", f"/ws/chat/{'9' * 40}/", "/ws/chat/1/extra/", "/ws/nothing/"],
)
async def test_a_bad_socket_path_is_refused_at_the_handshake(path):
    assert not await connects(WebsocketCommunicator(application, f"{path}?token=x"))


# --- The console's own sockets: agent and floor -----------------------------------------

CONSOLE_HOST = b"localhost"
NOT_THE_CONSOLE = [
    b"http://localhost:8000",
    b"https://localhost",
    b"http://localhost/evil",
    b"http://evil@localhost",
    b"http://localhost:80.evil.com",
    b"http://localhost.evil.com",
    b"null",
]


@pytest.mark.django_db(transaction=True)
async def test_the_agent_socket_accepts_only_its_own_scheme_host_and_port():
    agent = await database_sync_to_async(lambda: make_agent("ana", make_client("Shop")))()
    for origin in NOT_THE_CONSOLE:
        assert not await connects(await agent_communicator(agent, origin=origin)), origin
    assert await connects(await agent_communicator(agent, origin=b"http://localhost:80"))


@pytest.mark.django_db(transaction=True)
async def test_the_agent_socket_accepts_a_csrf_trusted_origin(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://relevo.example"]
    agent = await database_sync_to_async(lambda: make_agent("ana", make_client("Shop")))()
    assert await connects(await agent_communicator(agent, origin=b"https://relevo.example"))
    assert not await connects(await agent_communicator(agent, origin=b"https://relevo.example:8443"))


@pytest.mark.django_db(transaction=True)
async def test_behind_a_tls_proxy_the_console_origin_is_https(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    agent = await database_sync_to_async(lambda: make_agent("ana", make_client("Shop")))()

    async def through_proxy(origin: bytes) -> bool:
        cookie = await database_sync_to_async(session_cookie)(agent.user)
        headers = [(b"cookie", cookie), (b"origin", origin), (b"host", CONSOLE_HOST), (b"x-forwarded-proto", b"https")]
        return await connects(WebsocketCommunicator(application, "/ws/agent/", headers=headers))

    assert await through_proxy(b"https://localhost")
    assert not await through_proxy(b"http://localhost")


@pytest.mark.django_db(transaction=True)
async def test_the_floor_socket_accepts_only_its_own_scheme_host_and_port():
    supervisor = await database_sync_to_async(make_user)("sam", superuser=True)
    cookie = await database_sync_to_async(session_cookie)(supervisor)

    def floor(origin: bytes) -> WebsocketCommunicator:
        headers = [(b"cookie", cookie), (b"origin", origin), (b"host", CONSOLE_HOST)]
        return WebsocketCommunicator(application, "/ws/floor/", headers=headers)

    for origin in NOT_THE_CONSOLE:
        assert not await connects(floor(origin)), origin
    assert await connects(floor(b"http://localhost"))
