"""A channel layer that fails after the commit changes nothing about what was saved:
the widget's POST still answers 201 for its one conversation and a sweep finishes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chats import events, services, visitor_presence
from chats.models import Conversation, ConversationStatus
from conftest import make_agent, make_client, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


class BrokenLayer:
    """What the Redis layer does while Redis is down."""

    rings = 0

    async def group_send(self, group, event):
        BrokenLayer.rings += 1
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def broken_layer(monkeypatch):
    BrokenLayer.rings = 0
    monkeypatch.setattr(events, "get_channel_layer", BrokenLayer)
    yield BrokenLayer
    events.unrung_doorbells.pending.clear()


def test_the_widget_post_answers_201_for_its_one_conversation_when_the_layer_fails(client, broken_layer):
    shop = make_client("Shop")
    make_agent("ana", shop)
    response = client.post(
        f"/api/widget/{shop.widget_key}/conversations/",
        data="{}",
        content_type="application/json",
        HTTP_ORIGIN="https://shop.example",
    )
    assert response.status_code == 201
    assert Conversation.objects.filter(client=shop).count() == 1


def test_connecting_the_visitor_routes_the_chat_when_the_layer_fails(client, broken_layer):
    """Routing happens when the visitor's socket connects: its after-commit rings fail, the chat is Ana's."""
    shop = make_client("Shop")
    make_agent("ana", shop)
    response = client.post(
        f"/api/widget/{shop.widget_key}/conversations/",
        data="{}",
        content_type="application/json",
        HTTP_ORIGIN="https://shop.example",
    )
    visitor_presence.connect_visitor(conversation_id=response.json()["id"])
    assert Conversation.objects.get(client=shop).status == ConversationStatus.ACTIVE
    assert broken_layer.rings > 0


def test_a_sweep_goes_through_every_conversation_when_the_layer_fails(broken_layer):
    shop = make_client("Shop")
    left = [start_chat(shop).conversation.pk for _ in range(3)]
    start_chat(shop)  # still waiting: told its new place in line after each one is missed
    Conversation.objects.filter(pk__in=left).update(visitor_last_seen_at=timezone.now() - timedelta(hours=1))
    assert services.sweep_abandoned_conversations() == 3
    assert set(Conversation.objects.filter(pk__in=left).values_list("status", flat=True)) == {ConversationStatus.MISSED}
    assert broken_layer.rings > 0
