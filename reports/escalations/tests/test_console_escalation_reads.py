"""The console's reads around escalations: the client's categories and the visitor's earlier answers."""

import pytest
from django.test import Client as HttpClient

from chats import services as chat_services
from conftest import make_agent
from reports.escalations import services
from reports.models import ClientReportSettings
from reports.tests.personas import escalate, logged_in


def url(chat, what: str) -> str:
    return f"/console/api/conversations/{chat.conversation.pk}/{what}/"


def test_it_lists_the_clients_categories_with_labels(ana, chat, shop):
    ClientReportSettings.objects.create(client=shop, categories=["refund", "warranty"])
    response = logged_in(ana.user).get(url(chat, "escalation-categories"))
    assert response.status_code == 200
    assert response.json() == {
        "categories": [{"code": "refund", "label": "Refund"}, {"code": "warranty", "label": "warranty"}]
    }


def test_it_shows_the_visitors_earlier_answered_questions(ana, chat, shop, owner):
    earlier = escalate(chat, ana, question="Do you gift-wrap?", category="order")
    services.answer_escalation(escalation_id=earlier.pk, representative=owner, answer="Yes, for 3 €.")
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    again = chat_services.start_conversation(
        client=shop, name="Maria", email="MARIA@example.com", visitor_connected=True
    )
    escalate(again, ana, question="This chat's own question")

    response = logged_in(ana.user).get(url(again, "visitor-history"))
    assert response.status_code == 200
    history = response.json()["escalations"]
    assert [(e["question"], e["answer"]) for e in history] == [("Do you gift-wrap?", "Yes, for 3 €.")]


def test_a_visitor_without_an_email_has_no_history(ana, shop):
    chat = chat_services.start_conversation(client=shop, name="Anon", visitor_connected=True)
    assert logged_in(ana.user).get(url(chat, "visitor-history")).json() == {"escalations": []}


@pytest.mark.parametrize("what", ["escalation-categories", "visitor-history"])
def test_an_agent_who_never_served_the_conversation_is_refused(chat, shop, what):
    stranger = make_agent("bob", shop)
    response = logged_in(stranger.user).get(url(chat, what))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("what", ["escalation-categories", "visitor-history"])
def test_client_users_and_anonymous_visitors_are_refused(chat, owner, what):
    assert logged_in(owner.user).get(url(chat, what)).status_code == 403
    assert HttpClient().get(url(chat, what)).status_code == 401


def test_an_unknown_conversation_is_a_404(ana):
    response = logged_in(ana.user).get("/console/api/conversations/999999/visitor-history/")
    assert response.status_code == 404
