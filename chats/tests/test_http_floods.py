"""Floods of the widget's HTTP endpoints get 429 with Retry-After; other visitors and widgets go on."""

import json
import uuid

import pytest

from chats.models import Conversation
from clients.models import OfflineMessage
from conftest import make_client

pytestmark = pytest.mark.django_db

OFFLINE = {"name": "Maria", "email": "maria@example.com", "message": "Do you ship to Poland?", "consent": True}


def unique_ip() -> str:
    """A fresh address per test: the counters live in the shared cache for an hour."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def start(http, client, ip):
    return http.post(
        f"/api/widget/{client.widget_key}/conversations/",
        data="{}",
        content_type="application/json",
        REMOTE_ADDR=ip,
        HTTP_ORIGIN="https://shop.example",
    )


def leave_message(http, client, ip):
    return http.post(
        f"/api/widget/{client.widget_key}/offline-messages/",
        data=json.dumps(OFFLINE),
        content_type="application/json",
        REMOTE_ADDR=ip,
        HTTP_ORIGIN="https://shop.example",
    )


def assert_rate_limited(response):
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited" and body["detail"]
    assert 1 <= body["retry_after"] <= 3600
    assert response["Retry-After"] == str(body["retry_after"])
    assert response["Access-Control-Allow-Origin"] == "https://shop.example"


def test_one_ip_starting_too_many_conversations_gets_429_and_nothing_is_created(client, settings):
    settings.CHAT_CONVERSATIONS_PER_IP_PER_HOUR = 3
    shop, ip = make_client("Shop"), unique_ip()
    assert [start(client, shop, ip).status_code for _ in range(3)] == [201] * 3
    assert_rate_limited(start(client, shop, ip))
    assert Conversation.objects.count() == 3
    assert start(client, shop, unique_ip()).status_code == 201  # another visitor is not slowed


def test_one_widget_starting_too_many_conversations_gets_429_whatever_the_ip(client, settings):
    settings.CHAT_CONVERSATIONS_PER_WIDGET_PER_HOUR = 2
    shop, other_shop = make_client("Shop"), make_client("Other shop")
    assert [start(client, shop, unique_ip()).status_code for _ in range(2)] == [201] * 2
    assert_rate_limited(start(client, shop, unique_ip()))
    assert start(client, other_shop, unique_ip()).status_code == 201  # another client's widget goes on


def test_the_offline_form_is_limited_per_ip_and_per_widget(client, settings):
    settings.CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR = 2
    settings.CHAT_OFFLINE_MESSAGES_PER_WIDGET_PER_HOUR = 3
    shop, ip = make_client("Shop", is_24_7=False), unique_ip()
    assert [leave_message(client, shop, ip).status_code for _ in range(2)] == [201] * 2
    assert_rate_limited(leave_message(client, shop, ip))
    assert leave_message(client, shop, unique_ip()).status_code == 201
    assert_rate_limited(leave_message(client, shop, unique_ip()))
    assert OfflineMessage.objects.count() == 3


def test_an_unknown_widget_key_is_not_counted_and_stays_a_404(client, settings):
    settings.CHAT_CONVERSATIONS_PER_IP_PER_HOUR = 1
    ip = unique_ip()
    for _ in range(3):
        response = client.post(
            "/api/widget/nope/conversations/", data="{}", content_type="application/json", REMOTE_ADDR=ip
        )
        assert response.status_code == 404


def test_leaving_a_message_from_the_queue_counts_with_the_offline_form(client, settings):
    """Wrong tokens cannot be tried without end: the queue's leave-a-message shares the offline form's budget."""
    settings.CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR = 2
    shop, ip = make_client("Shop"), unique_ip()
    guess = {"conversation": 1, "token": "guessed", "email": "maria@example.com", "consent": True}

    def leave_queue_message():
        return client.post(
            f"/api/widget/{shop.widget_key}/leads/",
            data=json.dumps(guess),
            content_type="application/json",
            REMOTE_ADDR=ip,
            HTTP_ORIGIN="https://shop.example",
        )

    assert [leave_queue_message().status_code for _ in range(2)] == [404, 404]
    assert_rate_limited(leave_queue_message())
