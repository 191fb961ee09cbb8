"""Control characters (NUL and the rest of C0/C1) are refused with an answer, never a crash.

PostgreSQL cannot store NUL: a message body with one gets an `invalid` error frame
naming its client_id (so the widget stops resending it) and the socket stays open;
names, emails and forms get 400 `invalid`; a page_url with one is dropped (the chat
still starts).
"""

import json

import pytest
from channels.db import database_sync_to_async
from django.test import Client as HttpClient

from agency.tests.api_personas import api_as, make_personas
from chats.models import Conversation, Message, SenderKind
from clients.errors import UnprintableText
from clients.models import CannedReply, OfflineMessage
from clients.text import checked_line, checked_text
from conftest import make_client, new_client_id, open_agent, open_visitor, receive_until

pytestmark = pytest.mark.django_db  # sockets need real commits: they are marked transaction=True

NUL = "hello\u0000world"


async def send_message(socket, body: str, conversation: int | None = None) -> str:
    client_id = new_client_id()
    frame = {"type": "message", "client_id": client_id, "body": body}
    if conversation is not None:
        frame["conversation"] = conversation
    await socket.send_json_to(frame)
    return client_id


def answer_to(client_id: str):
    return lambda frame: frame.get("client_id") == client_id and frame["type"] in {"ack", "error"}


async def stored_bodies(conversation_id: int) -> list[str]:
    return await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation_id=conversation_id)
            .exclude(sender=SenderKind.SYSTEM)
            .order_by("seq")
            .values_list("body", flat=True)
        )
    )()


def test_the_text_rule_keeps_tabs_and_line_breaks_and_refuses_the_rest():
    assert checked_text("a\tb\r\nc\rd\ne") == "a\tb\nc\nd\ne"
    assert checked_line("Ana\tMaria") == "Ana\tMaria"
    for bad in ("\u0000", "\u0007", "\u001b[2J", "\u007f", "\u0085", "\u009f", "\ud800"):
        with pytest.raises(UnprintableText):
            checked_text(f"x{bad}y")
    with pytest.raises(UnprintableText):
        checked_line("two\nlines")


@pytest.mark.django_db(transaction=True)
async def test_a_visitor_message_with_nul_gets_an_error_frame_and_the_socket_stays_open(served_chat):
    _agent, chat = served_chat
    visitor = await open_visitor(chat)
    refused = await send_message(visitor, NUL)
    error = await receive_until(visitor, answer_to(refused))
    assert error["type"] == "error" and error["code"] == "invalid" and error["detail"]
    accepted = await send_message(visitor, "hello world")
    ack = await receive_until(visitor, answer_to(accepted))
    assert ack["type"] == "ack"
    assert await stored_bodies(chat.conversation.pk) == ["hello world"]
    await visitor.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_agent_message_with_a_control_character_gets_an_error_frame_and_the_socket_stays_open(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    conversation = chat.conversation.pk
    await receive_until(console, lambda f: f["type"] == "assigned")
    refused = await send_message(console, "bell \u0007", conversation)
    error = await receive_until(console, answer_to(refused))
    assert error["type"] == "error" and error["code"] == "invalid"
    accepted = await send_message(console, "line one\r\nline two", conversation)
    ack = await receive_until(console, answer_to(accepted))
    assert ack["type"] == "ack"
    assert await stored_bodies(conversation) == ["line one\nline two"]
    await console.disconnect()


# --- HTTP: the widget, the console API and the REST API -------------------------------


def widget_post(http, client, what: str, data: dict):
    return http.post(
        f"/api/widget/{client.widget_key}/{what}/",
        data=json.dumps(data),
        content_type="application/json",
        HTTP_ORIGIN="https://shop.example",
    )


@pytest.mark.parametrize("field", ["name", "email"])
def test_a_nul_in_the_visitors_name_or_email_is_a_400(field):
    shop = make_client("Shop")
    data = {"name": "Maria", "email": "maria@example.com", field: NUL}
    response = widget_post(HttpClient(), shop, "conversations", data)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["detail"]
    assert not Conversation.objects.exists()


def test_a_page_url_with_a_nul_is_dropped_and_the_chat_starts():
    shop = make_client("Shop")
    response = widget_post(HttpClient(), shop, "conversations", {"name": "Maria", "page_url": f"https://x/{NUL}"})
    assert response.status_code == 201
    assert Conversation.objects.get().page_url == ""


@pytest.mark.parametrize("field", ["name", "email", "message"])
def test_a_nul_in_the_offline_form_is_a_400(field):
    shop = make_client("Shop", is_24_7=False)
    data = {"name": "Maria", "email": "maria@example.com", "message": "Call me", "consent": True, field: NUL}
    response = widget_post(HttpClient(), shop, "offline-messages", data)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not OfflineMessage.objects.exists()


def test_a_widget_key_with_a_nul_is_a_404():
    response = HttpClient().get("/api/widget/abc%00def/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def console_http(agent) -> HttpClient:
    http = HttpClient()
    http.force_login(agent.user)
    return http


@pytest.mark.parametrize(
    "what, data",
    [
        ("escalations", {"question": NUL, "category": "refund"}),
        ("escalations", {"question": "Refund?", "category": "refund", "note": NUL}),
        ("feedback", {"kind": "idea", "text": NUL}),
    ],
)
def test_a_nul_in_the_console_api_is_a_400(served_chat, what, data):
    agent, chat = served_chat
    response = console_http(agent).post(
        f"/console/api/conversations/{chat.conversation.pk}/{what}/",
        data=json.dumps(data),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_canned_reply_search_with_a_nul_is_a_400(served_chat):
    agent, chat = served_chat
    CannedReply.objects.create(client_id=chat.conversation.client_id, shortcut="/hi", title="Hi", body="Hello")
    response = console_http(agent).get(f"/console/api/clients/{chat.conversation.client_id}/canned-replies/?q=a%00b")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_nul_in_a_rest_api_write_or_search_is_a_400():
    personas = make_personas()
    api = api_as(personas.admin)
    created = api.post(
        "/api/v1/coverage-exceptions/",
        {"client": personas.a.client.pk, "date": "2026-05-01", "is_closed": True, "note": NUL},
        format="json",
    )
    assert created.status_code == 400 and created.json()["code"] == "invalid", created.content
    searched = api.get("/api/v1/conversations/?search=a%00b")
    assert searched.status_code == 400 and searched.json()["code"] == "invalid"
