"""Outside coverage: the widget is told when the client opens, nothing is routed, open chats go on."""

import json
from datetime import UTC, datetime, time

import pytest
from django.utils import timezone

from chats import after_hours, agent_presence, events, services
from chats.models import Conversation, ConversationStatus
from clients.models import Client, CoverageException, CoverageWindow
from conftest import make_agent, make_client, start_chat

pytestmark = pytest.mark.django_db


def close_today(client: Client) -> None:
    """No coverage today and tomorrow (in the client's timezone); open from the day after at 09:00."""
    client.is_24_7 = False
    client.save(update_fields=["is_24_7"])
    for weekday in range(7):
        CoverageWindow.objects.create(client=client, weekday=weekday, starts_at=time(9), ends_at=time(17))
    today = timezone.now().astimezone(UTC).date()  # the fixture client lives in UTC
    for offset in (-1, 0, 1, 2):
        CoverageException.objects.create(
            client=client, date=today.fromordinal(today.toordinal() + offset), is_closed=True
        )


@pytest.fixture
def shop():
    return make_client("Shop", timezone="UTC")


def test_starting_a_chat_outside_coverage_creates_nothing_and_says_when_it_opens(client, shop):
    make_agent("ana", shop)
    close_today(shop)
    response = client.post(f"/api/widget/{shop.widget_key}/conversations/", data="{}", content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "offline"
    opening = datetime.fromisoformat(body["next_opening"])
    assert opening.time() == time(9) and opening > timezone.now()
    assert not Conversation.objects.exists()


def test_the_next_opening_is_null_when_nothing_is_scheduled(client, shop):
    shop.is_24_7 = False
    shop.save(update_fields=["is_24_7"])
    body = client.post(
        f"/api/widget/{shop.widget_key}/conversations/", data="{}", content_type="application/json"
    ).json()
    assert body == {"status": "offline", "next_opening": None}


def test_the_config_says_online_or_offline(client, shop):
    assert client.get(f"/api/widget/{shop.widget_key}/").json()["status"] == "online"
    close_today(shop)
    body = client.get(f"/api/widget/{shop.widget_key}/").json()
    assert body["status"] == "offline" and body["next_opening"].endswith("09:00:00+00:00")


def test_an_online_config_has_no_next_opening(client, shop):
    body = client.get(f"/api/widget/{shop.widget_key}/").json()
    assert body["next_opening"] is None


def test_a_queued_chat_is_not_routed_outside_coverage(shop):
    queued = start_chat(shop)
    close_today(shop)
    make_agent("ana", shop)
    agent_presence.set_presence(agent=make_agent("bea", shop), presence="online")
    assert Conversation.objects.get(pk=queued.conversation.pk).status == ConversationStatus.QUEUED


def test_when_coverage_ends_queued_visitors_are_told_and_marked_missed(
    shop, monkeypatch, django_capture_on_commit_callbacks
):
    queued = start_chat(shop)
    close_today(shop)
    sent = []
    monkeypatch.setattr(events, "send_now", lambda group, event: sent.append((group, event)))
    with django_capture_on_commit_callbacks(execute=True):
        assert after_hours.close_queues_outside_coverage() == 1
    assert Conversation.objects.get(pk=queued.conversation.pk).status == ConversationStatus.MISSED
    frames = [event["frame"] for group, event in sent if event["type"] == "chat.status"]
    offline = frames[-1]
    assert offline["type"] == "status" and offline["status"] == "offline"
    assert offline["conversation"] == queued.conversation.pk
    assert offline["next_opening"].endswith("09:00:00+00:00")
    json.dumps(offline)


def test_open_chats_go_on_when_coverage_ends(shop):
    make_agent("ana", shop)
    active = start_chat(shop)
    assert active.conversation.status == ConversationStatus.ACTIVE
    close_today(shop)
    assert after_hours.close_queues_outside_coverage() == 0
    assert Conversation.objects.get(pk=active.conversation.pk).status == ConversationStatus.ACTIVE
    posted = services.post_message(
        conversation_id=active.conversation.pk, sender="visitor", body="Still there?", client_id=None
    )
    assert posted.created


def test_covered_clients_keep_their_queue(shop):
    queued = start_chat(shop)
    assert after_hours.close_queues_outside_coverage() == 0
    assert Conversation.objects.get(pk=queued.conversation.pk).status == ConversationStatus.QUEUED
