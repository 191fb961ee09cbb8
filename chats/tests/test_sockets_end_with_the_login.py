"""Agent and floor sockets end with their login: logout, a password change, deactivation or a
role taken away closes them (4401) at once, and a frame sent afterwards does nothing. A lost
doorbell is caught by a check the server repeats on its own timer, whether or not the client pings."""

import asyncio
import re

import pytest
import requests
import websockets
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agency import roles, sessions
from agency.asgi import application
from agency.models import Agent
from chats.models import Conversation, Message
from chats.tests.server_probes import next_frame
from conftest import CONSOLE_HOST, CONSOLE_ORIGIN, new_client_id, receive_until, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def logged_in(user) -> tuple[HttpClient, bytes]:
    """A browser logged in as `user` and its session cookie (to open sockets on that login)."""
    http = HttpClient()
    http.force_login(user)
    return http, f"sessionid={http.cookies['sessionid'].value}".encode()


async def open_socket(path: str, cookie: bytes) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(
        application, path, headers=[(b"cookie", cookie), (b"origin", CONSOLE_ORIGIN), (b"host", CONSOLE_HOST)]
    )
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


async def assert_a_later_message_does_nothing(socket: WebsocketCommunicator, conversation_id: int, body: str):
    """A message sent on a socket whose login ended is neither answered nor stored."""
    await socket.send_json_to(
        {"type": "message", "conversation": conversation_id, "client_id": new_client_id(), "body": body}
    )
    assert await socket.receive_nothing(timeout=0.5)
    assert await message_count(body) == 0


async def test_logging_out_closes_the_console_and_a_later_message_stores_nothing(served_chat):
    agent, chat = served_chat
    http, cookie = await database_sync_to_async(logged_in)(agent.user)
    socket = await open_socket("/ws/agent/", cookie)
    await receive_until(socket, lambda f: f["type"] == "assigned")
    await database_sync_to_async(http.post)("/accounts/logout/")
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await assert_a_later_message_does_nothing(socket, chat.conversation.pk, "still there?")
    await socket.disconnect()


async def test_deactivating_the_agent_closes_the_console(served_chat):
    agent, chat = served_chat
    _, cookie = await database_sync_to_async(logged_in)(agent.user)
    socket = await open_socket("/ws/agent/", cookie)
    await receive_until(socket, lambda f: f["type"] == "assigned")
    agent.user.is_active = False
    await database_sync_to_async(agent.user.save)(update_fields=["is_active"])
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await assert_a_later_message_does_nothing(socket, chat.conversation.pk, "after deactivation")
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


FIRST_FRAME = {"/ws/agent/": "assigned", "/ws/floor/": "floor"}


async def socket_of(user, path: str) -> WebsocketCommunicator:
    """A socket on a new login of `user`, past its first frame."""
    _, cookie = await database_sync_to_async(logged_in)(user)
    socket = await open_socket(path, cookie)
    await receive_until(socket, lambda f: f["type"] == FIRST_FRAME[path])
    return socket


@pytest.fixture
def no_timer(settings):
    """The server's own re-check out of the way: what closes the socket is the change itself."""
    settings.SOCKET_LOGIN_RECHECK_SECONDS = 3600


NEW_PASSWORD = "Brand-new-pw-2026"  # noqa: S105 (a test's password)


def change_password_in_another_browser(user) -> None:
    http, _ = logged_in(user)
    answer = http.post(
        "/accounts/password_change/",
        {"old_password": "pw", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert answer.status_code == 302, answer.content


def reset_password_by_email_link(user) -> None:
    http = HttpClient()
    path = f"/accounts/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{default_token_generator.make_token(user)}/"
    form_page = http.get(path, follow=True)
    assert form_page.context["validlink"]
    answer = http.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert answer.status_code == 302, answer.content


def set_password_in_the_admin(user) -> None:
    admin = get_user_model().objects.create_superuser("root", password="pw")
    http = HttpClient()
    http.force_login(admin)
    answer = http.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert answer.status_code == 302, answer.content


def set_password_in_code(user) -> None:
    user = get_user_model().objects.get(pk=user.pk)
    user.set_password(NEW_PASSWORD)
    user.save()


PASSWORD_CHANGES = {
    "password change page": change_password_in_another_browser,
    "reset link": reset_password_by_email_link,
    "admin": set_password_in_the_admin,
    "set_password and save": set_password_in_code,
}


def next_visitor_of(conversation_id: int) -> None:
    """Another visitor of the same client starts a chat (the agent is free for it)."""
    start_chat(Conversation.objects.select_related("client").get(pk=conversation_id).client, "Next visitor")


@pytest.mark.parametrize("how", PASSWORD_CHANGES)
async def test_a_password_change_closes_a_quiet_console_before_its_next_chat(served_chat, no_timer, how):
    agent, chat = served_chat
    socket = await socket_of(agent.user, "/ws/agent/")
    await socket.send_json_to({"type": "presence", "presence": "online"})
    await receive_until(socket, lambda f: f["type"] == "presence")

    await database_sync_to_async(PASSWORD_CHANGES[how])(agent.user)
    await database_sync_to_async(next_visitor_of)(chat.conversation.pk)
    output = await socket.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": sessions.SESSION_ENDED_CLOSE_CODE}, (
        "nothing of the next chat reaches a socket whose password changed"
    )
    await assert_a_later_message_does_nothing(socket, chat.conversation.pk, "after the password changed")
    await socket.disconnect()


async def test_a_password_change_closes_the_floor(no_timer):
    boss = await database_sync_to_async(get_user_model().objects.create_superuser)("boss", password="pw")
    socket = await socket_of(boss, "/ws/floor/")
    await database_sync_to_async(set_password_in_code)(boss)
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.disconnect()


async def test_saving_the_user_with_the_same_password_leaves_the_console_open(served_chat, no_timer):
    agent, _ = served_chat
    socket = await socket_of(agent.user, "/ws/agent/")

    def rename():
        user = get_user_model().objects.get(pk=agent.user_id)
        user.first_name = "Anna"
        user.save()

    await database_sync_to_async(rename)()
    await socket.send_json_to({"type": "ping"})
    await receive_until(socket, lambda f: f["type"] == "pong")
    await socket.disconnect()


async def test_taking_the_agent_away_closes_the_console_at_once(served_chat, no_timer):
    agent, _ = served_chat
    socket = await socket_of(agent.user, "/ws/agent/")
    await database_sync_to_async(Agent.objects.filter(pk=agent.pk).delete)()
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.disconnect()


def supervisor():
    user = get_user_model().objects.create_user("sue", password="pw")
    user.groups.add(Group.objects.get_or_create(name=roles.SUPERVISOR)[0])
    return user


async def test_taking_the_supervisor_role_away_closes_the_floor_at_once(no_timer):
    sue = await database_sync_to_async(supervisor)()
    socket = await socket_of(sue, "/ws/floor/")
    await database_sync_to_async(sue.groups.clear)()
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.disconnect()


def end_quietly(user, how: str) -> None:
    """End a login or a role without any signal, as a raw UPDATE or a lost doorbell would."""
    users = get_user_model().objects.filter(pk=user.pk)
    if how == "session deleted":
        Session.objects.all().delete()
    elif how == "deactivated without signals":
        users.update(is_active=False)
    elif how == "password changed without signals":
        user.set_password("a-new-one")
        users.update(password=user.password)
    elif how == "agent role removed without signals":
        someone_else = get_user_model().objects.create_user("someone-else")
        Agent.objects.filter(user=user).update(user=someone_else)
    elif how == "supervisor role removed without signals":
        get_user_model().groups.through.objects.filter(user_id=user.pk)._raw_delete(using="default")


@pytest.mark.parametrize(
    "how",
    [
        "session deleted",
        "deactivated without signals",
        "password changed without signals",
        "agent role removed without signals",
    ],
)
async def test_the_server_timer_closes_a_console_that_never_pings(served_chat, settings, how):
    settings.SOCKET_LOGIN_RECHECK_SECONDS = 0.5
    agent, _ = served_chat
    socket = await socket_of(agent.user, "/ws/agent/")
    await database_sync_to_async(end_quietly)(agent.user, how)
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.disconnect()


@pytest.mark.parametrize(
    "how", ["session deleted", "password changed without signals", "supervisor role removed without signals"]
)
async def test_the_server_timer_closes_a_floor_whose_login_ended(settings, how):
    settings.SOCKET_LOGIN_RECHECK_SECONDS = 0.5
    sue = await database_sync_to_async(supervisor)()
    socket = await socket_of(sue, "/ws/floor/")
    await database_sync_to_async(end_quietly)(sue, how)
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.disconnect()


async def test_a_console_whose_login_holds_stays_open_past_the_timer(served_chat, settings, monkeypatch):
    settings.SOCKET_LOGIN_RECHECK_SECONDS = 0.1
    checks = []
    real_check = sessions.current_login_user
    monkeypatch.setattr(sessions, "current_login_user", lambda **kwargs: checks.append(kwargs) or real_check(**kwargs))
    agent, _ = served_chat
    socket = await socket_of(agent.user, "/ws/agent/")
    for _ in range(100):
        if len(checks) >= 3:
            break
        await asyncio.sleep(0.05)
    assert len(checks) >= 3, "the server checks the login by itself"
    await socket.send_json_to({"type": "ping"})
    await receive_until(socket, lambda f: f["type"] == "pong")
    await socket.disconnect()


async def test_logging_out_closes_the_floor():
    boss = await database_sync_to_async(get_user_model().objects.create_superuser)("boss", password="pw")
    http, cookie = await database_sync_to_async(logged_in)(boss)
    socket = await open_socket("/ws/floor/", cookie)
    await receive_until(socket, lambda f: f["type"] == "floor")
    await database_sync_to_async(http.post)("/accounts/logout/")
    assert await close_code(socket) == sessions.SESSION_ENDED_CLOSE_CODE
    await socket.disconnect()


def change_password_over_http(base_url: str, cookie: str) -> None:
    """The password change page of a real server, as a browser would use it (CSRF token and all)."""
    browser = requests.Session()
    browser.headers["Cookie"] = cookie
    page = browser.get(f"{base_url}/accounts/password_change/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    browser.headers["Cookie"] = f"{cookie}; csrftoken={page.cookies['csrftoken']}"
    answer = browser.post(
        f"{base_url}/accounts/password_change/",
        allow_redirects=False,
        timeout=10,
        data={
            "csrfmiddlewaretoken": token,
            "old_password": "pw",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert answer.status_code == 302, answer.text


@pytest.mark.server
async def test_a_password_changed_on_one_server_closes_the_console_on_another(served_chat, asgi_servers):
    no_timer = {"SOCKET_LOGIN_RECHECK_SECONDS": "3600"}
    one, two = asgi_servers(env=no_timer), asgi_servers(env=no_timer)
    agent, _ = served_chat
    _, console_cookie = await database_sync_to_async(logged_in)(agent.user)
    _, other_cookie = await database_sync_to_async(logged_in)(agent.user)
    async with websockets.connect(
        f"ws://127.0.0.1:{one.port}/ws/agent/", origin=one.url, additional_headers={"Cookie": console_cookie.decode()}
    ) as console:
        await next_frame(console, lambda f: f["type"] == "assigned")
        await sync_to_async(change_password_over_http)(two.url, other_cookie.decode())
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await next_frame(console, lambda f: False, timeout=5)
    assert closed.value.rcvd.code == sessions.SESSION_ENDED_CLOSE_CODE
