"""Agent and floor sockets end with their login: logout or deactivation closes them (4401), and
a frame sent afterwards does nothing. A lost doorbell is caught by the next heartbeat."""
import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient

from agency import sessions
from agency.asgi import application
from chats.models import Message
from conftest import CONSOLE_HOST, CONSOLE_ORIGIN, new_client_id, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


def logged_in(user) -> tuple[HttpClient, bytes]:
    """A browser logged in as `user` and its session cookie (to open sockets on that login)."""
    http = HttpClient()
    http.force_login(user)
    return http, f"sessionid={http.cookies['sessionid'].value}".encode()


async def open_socket(path: str, cookie: bytes) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application, path, headers=[(b"cookie", cookie), (b"origin", CONSOLE_ORIGIN),
                                                          (b"host", CONSOLE_HOST)])
    connected, _ = await socket.connect(timeout=5)
    assert connected
    return socket


async def close_code(socket: WebsocketCommunicator) -> int:
    """Read what the server sends until it closes the socket; its close code."""
    for _ in range(100):
        output = await socket.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output.get("code")
    raise AssertionError("the socket stayed open")


async def message_count(body: str) -> int:
    return await database_sync_to_async(Message.objects.filter(body=body).count)()


async def test_logging_out_closes_the_console_and_a_later_message_stores_nothing(served_chat):
    agent, chat = served_chat
    http, cookie = await database_sync_to_async(logged_in)(agent.user)
    socket = await open_socket("/ws/agent/", cookie)
    await receive_until(socket, lambda f: f["type"] == "assigned")
    await database_sync_to_async(http.post)("/accounts/logout/")
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.send_json_to({"type": "message", "conversation": chat.conversation.pk,
                               "client_id": new_client_id(), "body": "still there?"})
    assert await socket.receive_nothing(timeout=0.5)
    assert await message_count("still there?") == 0
    await socket.disconnect()


async def test_deactivating_the_agent_closes_the_console(served_chat):
    agent, chat = served_chat
    _, cookie = await database_sync_to_async(logged_in)(agent.user)
    socket = await open_socket("/ws/agent/", cookie)
    await receive_until(socket, lambda f: f["type"] == "assigned")
    agent.user.is_active = False
    await database_sync_to_async(agent.user.save)(update_fields=["is_active"])
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.send_json_to({"type": "message", "conversation": chat.conversation.pk,
                               "client_id": new_client_id(), "body": "after deactivation"})
    assert await socket.receive_nothing(timeout=0.5)
    assert await message_count("after deactivation") == 0
    await socket.disconnect()


async def test_logging_out_elsewhere_leaves_this_console_open(served_chat):
    agent, _ = served_chat
    _, cookie = await database_sync_to_async(logged_in)(agent.user)
    other_browser, _ = await database_sync_to_async(logged_in)(agent.user)
    socket = await open_socket("/ws/agent/", cookie)
    await receive_until(socket, lambda f: f["type"] == "assigned")
    await database_sync_to_async(other_browser.post)("/accounts/logout/")
    await socket.send_json_to({"type": "ping"})
    await receive_until(socket, lambda f: f["type"] == "pong")
    await socket.disconnect()


@pytest.mark.parametrize("how", ["session deleted", "deactivated without signals", "password changed"])
async def test_the_heartbeat_closes_a_console_whose_doorbell_was_lost(served_chat, how):
    agent, _ = served_chat
    _, cookie = await database_sync_to_async(logged_in)(agent.user)
    socket = await open_socket("/ws/agent/", cookie)
    await receive_until(socket, lambda f: f["type"] == "assigned")

    def end_quietly():
        users = get_user_model().objects.filter(pk=agent.user_id)
        if how == "session deleted":
            Session.objects.all().delete()
        elif how == "deactivated without signals":
            users.update(is_active=False)
        else:
            user = users.get()
            user.set_password("a-new-one")
            users.update(password=user.password)

    await database_sync_to_async(end_quietly)()
    await socket.send_json_to({"type": "ping"})
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.disconnect()


async def test_logging_out_closes_the_floor():
    boss = await database_sync_to_async(get_user_model().objects.create_superuser)("boss", password="pw")
    http, cookie = await database_sync_to_async(logged_in)(boss)
    socket = await open_socket("/ws/floor/", cookie)
    await receive_until(socket, lambda f: f["type"] == "floor")
    await database_sync_to_async(http.post)("/accounts/logout/")
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.disconnect()
