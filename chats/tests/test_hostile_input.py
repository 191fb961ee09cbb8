"""Hostile input: cross-site socket hijacking and fuzzed frames.

Markup shown on pages and in emails: reports/tests/test_markup_shown_as_text.py.
Random frames get an error frame or a normal one, never a dropped socket,
and nothing is stored for a refused frame.
"""

import json

import pytest
import websockets
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.db import connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from chats.models import Conversation, Message, SenderKind
from conftest import make_agent, make_client, open_agent, open_visitor, receive_until, session_cookie, start_chat

SCRIPT = "<script>alert('pwned')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;"
IMAGE = '<img src=x onerror="alert(1)">'


# --- Cross-site websocket hijacking against a real server -------------------------------


async def handshake_status(url: str, *, origin: str, cookie: str | None = None) -> int:
    """101 when the socket opened, else the HTTP status the server refused it with."""
    headers = {"Cookie": cookie} if cookie else {}
    try:
        async with websockets.connect(url, origin=origin, additional_headers=headers, open_timeout=5):
            return 101
    except websockets.InvalidStatus as refused:
        return refused.response.status_code


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
async def test_a_foreign_page_cannot_open_the_agent_socket_with_the_agents_cookie(asgi_servers):
    def world():
        agent = make_agent("ana", make_client("Shop"))
        return session_cookie(agent.user).decode()

    cookie = await database_sync_to_async(world)()
    server = asgi_servers()
    url = f"ws://127.0.0.1:{server.port}/ws/agent/"
    assert await handshake_status(url, origin="https://evil.example", cookie=cookie) == 403
    assert await handshake_status(url, origin="http://127.0.0.1.evil.example", cookie=cookie) == 403
    assert await handshake_status(url, origin=server.url) == 403  # the right page, but no session
    assert await handshake_status(url, origin=server.url, cookie=cookie) == 101


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
async def test_a_foreign_page_cannot_open_a_visitor_socket_even_with_the_token(asgi_servers):
    chat = await database_sync_to_async(
        lambda: start_chat(make_client("Shop", allowed_origins="https://shop.example"))
    )()
    cache.delete(f"sockets:{chat.conversation.pk}")  # ids restart with each test database; counts live in Redis
    server = asgi_servers()
    url = f"ws://127.0.0.1:{server.port}/ws/chat/{chat.conversation.pk}/?token={chat.token}"
    assert await handshake_status(url, origin="https://evil.example") == 403
    assert await handshake_status(url, origin="https://shop.example") == 101


# --- Fuzzed frames through the visitor socket ----------------------------------------

FRAME_TYPES = ["message", "typing", "resume", "close", "ping", "presence", "MESSAGE", ""]
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(FRAME_TYPES),
    st.uuids().map(str),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
json_objects = st.dictionaries(
    st.one_of(st.sampled_from(["type", "client_id", "body", "after", "conversation", "presence"]), st.text(max_size=6)),
    values,
    max_size=5,
)
frames = st.one_of(
    json_objects.map(lambda frame: ("text", json.dumps(frame))),
    st.fixed_dictionaries(
        {"type": st.sampled_from(FRAME_TYPES)},
        optional={
            "client_id": values,
            "body": values,
            "after": values,
            "conversation": values,
        },
    ).map(lambda frame: ("text", json.dumps(frame))),
    values.map(lambda value: ("text", json.dumps(value))),
    st.text(min_size=1, max_size=200).map(lambda text: ("text", text)),
    st.binary(min_size=1, max_size=200).map(lambda data: ("bytes", data)),  # the test client sends no empty frames
)
KNOWN_CODES = {"bad_json", "bad_frame", "too_long", "empty", "forbidden", "closed", "rate_limited", "invalid"}
REPLY_TYPES = {"error", "ack", "message", "status", "pong", "typing"}


@pytest.fixture
def fuzz_chat(transactional_db, settings):
    settings.CHAT_VISITOR_FRAME_BURST = 100000
    settings.CHAT_MAX_SOCKETS_PER_CONVERSATION = 100000
    shop = make_client("Shop")
    make_agent("ana", shop)
    return start_chat(shop)


def stored_messages(conversation_id: int) -> int:
    return Message.objects.filter(conversation_id=conversation_id).exclude(sender=SenderKind.SYSTEM).count()


@pytest.mark.django_db(transaction=True)
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=frames)
async def test_random_frames_get_an_answer_keep_the_socket_and_store_nothing_when_refused(fuzz_chat, frame):
    conversation_id = fuzz_chat.conversation.pk
    before = await database_sync_to_async(stored_messages)(conversation_id)
    last_seq = await Conversation.objects.filter(pk=conversation_id).values_list("last_seq", flat=True).aget()
    visitor = await open_visitor(fuzz_chat)
    kind, payload = frame
    await visitor.send_to(**({"text_data": payload} if kind == "text" else {"bytes_data": payload}))
    await visitor.send_json_to({"type": "ping"})
    replies = []
    while not replies or replies[-1]["type"] != "pong":
        replies.append(await receive_until(visitor, lambda f: True))
    await visitor.disconnect()
    assert {reply["type"] for reply in replies} <= REPLY_TYPES, replies
    errors = [reply for reply in replies if reply["type"] == "error"]
    assert all(error["code"] in KNOWN_CODES and error["detail"] for error in errors), errors
    stored = await database_sync_to_async(stored_messages)(conversation_id) - before
    acks = [reply for reply in replies if reply["type"] == "ack"]
    # An ack of an earlier example's client_id (hypothesis repeats values) names a stored seq: nothing new.
    new_acks = [ack for ack in acks if ack["seq"] > last_seq]
    assert stored == len(new_acks) <= 1, (frame, replies)
    if errors:
        assert stored == 0
    await database_sync_to_async(connections.close_all)()  # each example runs in its own event loop


AGENT_FRAME_TYPES = ["message", "typing", "resume", "close", "presence", "ping", "dance"]
agent_frames = st.one_of(
    st.fixed_dictionaries(
        {"type": st.sampled_from(AGENT_FRAME_TYPES)},
        optional={
            "conversation": values,
            "client_id": values,
            "body": values,
            "after": values,
            "presence": values,
        },
    ).map(lambda frame: ("text", json.dumps(frame))),
    json_objects.map(lambda frame: ("text", json.dumps(frame))),
    st.text(min_size=1, max_size=200).map(lambda text: ("text", text)),
    st.binary(min_size=1, max_size=200).map(lambda data: ("bytes", data)),
)


@pytest.fixture
def fuzz_agent(transactional_db, settings):
    settings.CHAT_AGENT_FRAME_BURST = 100000
    shop = make_client("Shop")
    agent = make_agent("ana", shop)
    start_chat(shop)
    return agent


@pytest.mark.django_db(transaction=True)
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=agent_frames)
async def test_random_frames_on_the_agent_socket_get_an_answer_and_keep_the_socket(fuzz_agent, frame):
    console = await open_agent(fuzz_agent)
    kind, payload = frame
    await console.send_to(**({"text_data": payload} if kind == "text" else {"bytes_data": payload}))
    await console.send_json_to({"type": "ping"})
    replies = []
    while not replies or replies[-1]["type"] != "pong":
        replies.append(await receive_until(console, lambda f: True))
    await console.disconnect()
    assert {reply["type"] for reply in replies} <= REPLY_TYPES | {"assigned", "presence"}, replies
    errors = [reply for reply in replies if reply["type"] == "error"]
    assert all(error["code"] in KNOWN_CODES and error["detail"] for error in errors), errors
    await database_sync_to_async(connections.close_all)()
