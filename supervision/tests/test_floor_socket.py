"""`/ws/floor/`: supervisors get a snapshot on connect and a fresh one after every change; nobody else connects."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agency import roles
from agency.asgi import application
from agency.models import Presence
from chats import agent_presence, services
from conftest import CONSOLE_HOST, CONSOLE_ORIGIN, make_agent, make_client, receive_until, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def make_user(username: str, *, role: str | None = None, superuser: bool = False):
    user = get_user_model().objects.create_user(username, password="pw", is_superuser=superuser)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


async def floor_socket(user, origin: bytes = CONSOLE_ORIGIN) -> WebsocketCommunicator:
    cookie = await database_sync_to_async(session_cookie)(user)
    return WebsocketCommunicator(
        application, "/ws/floor/", headers=[(b"cookie", cookie), (b"origin", origin), (b"host", CONSOLE_HOST)]
    )


async def test_a_supervisor_gets_the_floor_on_connect():
    shop = await database_sync_to_async(make_client)("Shop")
    await database_sync_to_async(make_agent)("ana", shop, max_chats=3)
    supervisor = await database_sync_to_async(make_user)("sara", role=roles.SUPERVISOR)
    socket = await floor_socket(supervisor)
    connected, _ = await socket.connect(timeout=5)
    assert connected
    frame = await receive_until(socket, lambda f: f["type"] == "floor")
    assert [(c["name"], c["queued"], c["active"]) for c in frame["clients"]] == [("Shop", 0, 0)]
    assert [(a["name"], a["presence"], a["active_chats"], a["max_chats"]) for a in frame["agents"]] == [
        ("Ana", "online", 0, 3)
    ]
    await socket.disconnect()


async def test_an_assignment_sends_a_new_snapshot():
    shop = await database_sync_to_async(make_client)("Shop")
    await database_sync_to_async(make_agent)("ana", shop)
    admin = await database_sync_to_async(make_user)("adam", role=roles.AGENCY_ADMIN)
    socket = await floor_socket(admin)
    assert (await socket.connect(timeout=5))[0]
    await receive_until(socket, lambda f: f["type"] == "floor")
    await database_sync_to_async(services.start_conversation)(client=shop, name="Maria", visitor_connected=True)
    frame = await receive_until(socket, lambda f: f["type"] == "floor" and f["active_chats"])
    assert [(c["client"], c["agent"], c["visitor"]) for c in frame["active_chats"]] == [("Shop", "Ana", "Maria")]
    assert frame["agents"][0]["active_chats"] == 1
    await socket.disconnect()


async def test_a_queued_chat_shows_its_wait_after_a_presence_change():
    shop = await database_sync_to_async(make_client)("Shop")
    ana = await database_sync_to_async(make_agent)("ana", shop, presence=Presence.AWAY)
    boss = await database_sync_to_async(make_user)("boss", superuser=True)
    await database_sync_to_async(services.start_conversation)(client=shop, name="Maria", visitor_connected=True)
    socket = await floor_socket(boss)
    assert (await socket.connect(timeout=5))[0]
    first = await receive_until(socket, lambda f: f["type"] == "floor")
    assert first["clients"][0]["queued"] == 1 and first["clients"][0]["longest_wait_seconds"] is not None
    await database_sync_to_async(agent_presence.set_presence)(agent=ana, presence=Presence.ONLINE)
    frame = await receive_until(socket, lambda f: f["type"] == "floor" and f["agents"][0]["presence"] == "online")
    assert frame["agents"][0]["name"] == "Ana"
    await socket.disconnect()


@pytest.mark.parametrize("persona", ["agent", "client_owner", "nobody"])
async def test_anyone_but_a_supervisor_is_refused(persona):
    shop = await database_sync_to_async(make_client)("Shop")
    if persona == "agent":
        user = (await database_sync_to_async(make_agent)("ana", shop)).user
    elif persona == "client_owner":
        user = await database_sync_to_async(make_user)("olga", role=roles.CLIENT_OWNER)
    else:
        user = await database_sync_to_async(make_user)("nina")
    socket = await floor_socket(user)
    connected, _ = await socket.connect(timeout=5)
    assert not connected


async def test_a_supervisor_from_another_site_is_refused():
    supervisor = await database_sync_to_async(make_user)("sara", role=roles.SUPERVISOR)
    socket = await floor_socket(supervisor, origin=b"https://evil.example")
    connected, _ = await socket.connect(timeout=5)
    assert not connected
