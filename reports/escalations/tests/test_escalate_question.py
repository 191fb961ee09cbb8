"""Agents escalate a visitor's question and record feedback through the console's JSON API."""

import json

import pytest
from django.test import Client as HttpClient

from chats import services as chat_services
from chats.models import Message, SenderKind
from conftest import make_agent
from reports.models import ClientReportSettings, Escalation, Feedback
from reports.tests.personas import visitor_says


def api(http, chat, what="escalations", data=None, method="post"):
    url = f"/console/api/conversations/{chat.conversation.pk}/{what}/"
    if method == "get":
        return http.get(url)
    return http.post(url, data=json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def ana_http(ana):
    http = HttpClient()
    http.force_login(ana.user)
    return http


def test_it_stores_the_escalation_and_answers_201(ana_http, chat, ana):
    seq = visitor_says(chat.conversation.pk, "Can I return it after 60 days?")
    response = api(
        ana_http,
        chat,
        data={
            "question": "Return after 60 days?",
            "source_seq": seq,
            "category": "refund",
            "urgency": "urgent",
            "note": "VIP",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["question"] == "Return after 60 days?" and body["source_seq"] == seq
    assert body["status"] == "open" and body["urgency"] == "urgent"
    escalation = Escalation.objects.get(pk=body["id"])
    assert escalation.agent == ana and escalation.client_id == chat.conversation.client_id


def test_the_visitor_is_told_how_they_will_hear_back(ana_http, chat):
    api(ana_http, chat, data={"question": "Price for 100?", "category": "pricing"})
    notice = Message.objects.filter(conversation=chat.conversation, sender=SenderKind.SYSTEM).last()
    assert "Shop" in notice.body and "maria@example.com" in notice.body


def test_a_visitor_without_an_email_is_asked_for_one(shop, ana, ana_http):
    chat = chat_services.start_conversation(client=shop, name="Anon", visitor_connected=True)
    api(ana_http, chat, data={"question": "Price for 100?", "category": "pricing"})
    notice = Message.objects.filter(conversation=chat.conversation, sender=SenderKind.SYSTEM).last()
    assert "email address" in notice.body


def test_the_visitor_notice_is_in_the_conversation_language(ana_http, chat):
    chat.conversation.language = "es"
    chat.conversation.save(update_fields=["language"])
    response = api(ana_http, chat, data={"question": "¿Precio?", "category": "pricing"})
    assert response.status_code == 201  # catalogues may lag; the override must not break the write


def test_it_lists_the_conversations_escalations(ana_http, chat):
    api(ana_http, chat, data={"question": "One", "category": "order"})
    api(ana_http, chat, data={"question": "Two", "category": "other"})
    response = api(ana_http, chat, method="get")
    assert response.status_code == 200
    assert [e["question"] for e in response.json()["escalations"]] == ["One", "Two"]


def test_it_validates_the_category_against_the_clients_list(ana_http, chat, shop):
    response = api(ana_http, chat, data={"question": "Warranty?", "category": "warranty"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    ClientReportSettings.objects.create(client=shop, categories=["warranty"])
    assert api(ana_http, chat, data={"question": "Warranty?", "category": "warranty"}).status_code == 201


def test_it_validates_the_question_urgency_and_seq(ana_http, chat):
    assert api(ana_http, chat, data={"question": " ", "category": "order"}).status_code == 400
    assert api(ana_http, chat, data={"question": "Q", "category": "order", "urgency": "asap"}).status_code == 400
    assert api(ana_http, chat, data={"question": "Q", "category": "order", "source_seq": 999}).status_code == 400
    assert api(ana_http, chat, data={"question": "Q", "category": "order", "source_seq": "1"}).status_code == 400
    assert not Escalation.objects.exists()


def test_an_agent_who_never_served_the_conversation_is_refused(chat, shop):
    piotr = make_agent("piotr", shop)
    http = HttpClient()
    http.force_login(piotr.user)
    response = api(http, chat, data={"question": "Q", "category": "order"})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert api(http, chat, method="get").status_code == 403
    assert api(http, chat, "feedback", {"kind": "praise", "text": "Nice"}).status_code == 403


def test_anonymous_users_and_non_agents_are_refused(chat, owner):
    assert api(HttpClient(), chat, data={"question": "Q", "category": "order"}).status_code == 401
    http = HttpClient()
    http.force_login(owner.user)
    assert api(http, chat, method="get").status_code == 403


def test_the_endpoints_check_csrf(ana, chat):
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(ana.user)
    assert api(http, chat, data={"question": "Q", "category": "order"}).status_code == 403
    assert not Escalation.objects.exists()


def test_an_unknown_conversation_is_a_404(ana_http):
    response = ana_http.post(
        "/console/api/conversations/999999/escalations/",
        data=json.dumps({"question": "Q", "category": "order"}),
        content_type="application/json",
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_closed_conversation_cannot_be_escalated_but_takes_feedback(ana_http, chat, ana):
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    response = api(ana_http, chat, data={"question": "Q", "category": "order"})
    assert response.status_code == 400 and response.json()["code"] == "closed"
    assert api(ana_http, chat, "feedback", {"kind": "idea", "text": "Sell gift cards"}).status_code == 201


def test_it_records_feedback(ana_http, chat):
    response = api(ana_http, chat, "feedback", {"kind": "praise", "text": "Loves the <b>fast</b> delivery"})
    assert response.status_code == 201
    assert Feedback.objects.get().text == "Loves the <b>fast</b> delivery"
    assert api(ana_http, chat, "feedback", {"kind": "rant", "text": "x"}).status_code == 400
