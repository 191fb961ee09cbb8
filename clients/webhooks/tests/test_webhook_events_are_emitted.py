"""What happens in chats and reports becomes webhook events for the client's subscribed endpoints:
conversation.closed, escalation.created, report.sent, lead.created; only once the change commits."""

import json

import pytest
from django.db import transaction

from chats import services as chat_services
from chats.leads import intake
from chats.leads import services as lead_services
from chats.leads.models import Lead
from chats.ratings import services as ratings
from clients.models import WebhookDelivery, WebhookEventType
from clients.webhooks import delivery
from clients.webhooks import services as webhooks
from reports.tests.personas import escalate


@pytest.fixture
def endpoint(shop, monkeypatch):
    monkeypatch.setattr(delivery.send_webhook_deliveries, "delay", lambda ids: None)  # sending is tested elsewhere
    return webhooks.create_endpoint(client=shop, url="https://crm.example/relevo", events=WebhookEventType.values)


def events() -> list[dict]:
    return [json.loads(row.body) for row in WebhookDelivery.objects.order_by("pk")]


def test_a_chat_with_an_escalation_emits_escalation_report_and_close(
    chat, ana, owner, endpoint, django_capture_on_commit_callbacks
):
    escalation = escalate(chat, ana)
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    escalated, closed, reported = events()
    assert escalated["type"] == "escalation.created"
    assert escalated["data"]["escalation"]["id"] == escalation.pk
    assert escalated["data"]["escalation"]["question"] == escalation.question
    assert "Asked twice." not in json.dumps(escalated)  # the internal note stays inside
    assert closed["type"] == "conversation.closed"
    conversation = closed["data"]["conversation"]
    assert conversation["id"] == chat.conversation.pk and conversation["status"] == "closed"
    assert conversation["visitor"]["email"] == "maria@example.com" and conversation["agent"]["id"] == ana.pk
    assert reported["type"] == "report.sent"
    assert reported["data"]["report"]["escalation_ids"] == [escalation.pk]
    assert len({event["id"] for event in (escalated, closed, reported)}) == 3
    assert all(
        event["client_id"] == chat.conversation.client_id and event["version"] == 1
        for event in (escalated, closed, reported)
    )


def test_an_offline_form_lead_emits_lead_created_once_with_card_numbers_masked(shop, endpoint):
    offline_message = intake.leave_offline_message(
        client=shop, name="Jan", email="jan@example.com", message="Charge 4111 1111 1111 1111 please", consent=True
    )
    (event,) = events()
    assert event["type"] == "lead.created"
    assert event["data"]["lead"]["id"] == Lead.objects.get(offline_message=offline_message).pk
    assert event["data"]["lead"]["source"] == "offline_form"
    assert "4111 1111 1111 1111" not in event["data"]["lead"]["message"]


def test_a_lead_card_emits_lead_created(shop, chat, endpoint):
    lead = lead_services.record_lead_card(
        conversation_id=chat.conversation.pk, name="Maria", email="maria@example.com", has_consent=True
    )
    (event,) = events()
    assert event["type"] == "lead.created"
    assert event["data"]["lead"] | {"created_at": None} == {
        "id": lead.pk,
        "source": "lead_card",
        "conversation_id": chat.conversation.pk,
        "name": "Maria",
        "email": "maria@example.com",
        "phone": "",
        "has_consent": True,
        "message": "",
        "language": chat.conversation.language,
        "created_at": None,
    }


def test_a_rating_emits_rating_created_with_its_agent(shop, chat, ana, endpoint):
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    WebhookDelivery.objects.all().delete()  # conversation.closed, tested above
    rating = ratings.rate_conversation(
        conversation_id=chat.conversation.pk, score=4, comment="Card 4111 1111 1111 1111 worked"
    )
    (event,) = events()
    assert event["type"] == "rating.created"
    data = event["data"]["rating"]
    assert (data["id"], data["conversation_id"], data["score"]) == (rating.pk, chat.conversation.pk, 4)
    assert data["agent"]["id"] == ana.pk and "4111 1111 1111 1111" not in data["comment"]


def test_only_subscribed_enabled_endpoints_get_an_event(shop, chat, ana, endpoint):
    webhooks.create_endpoint(client=shop, url="https://other.example/", events=["lead.created"])
    endpoint.is_enabled = False
    webhooks.save_endpoint(endpoint)
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    assert events() == []


def test_an_event_rolled_back_with_its_change_is_never_sent(shop, endpoint):
    with pytest.raises(RuntimeError), transaction.atomic():
        webhooks.emit_event(shop.pk, WebhookEventType.RATING_CREATED, {"rating": {"score": 5}})
        raise RuntimeError("the rating was not stored")
    assert events() == []


def test_an_unknown_event_type_is_a_programming_error(shop):
    with pytest.raises(ValueError):
        webhooks.emit_event(shop.pk, "chat.exploded", {})
