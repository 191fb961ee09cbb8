"""'This visitor asked before': a returning visitor is recognised by an email from any source (the
pre-chat form, Relevo.identify on the visit, the queue's leave-a-message form, the escalation contact
typed in the chat), in any case, on either chat, and only within the same client."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chats import services as chat_services
from chats.leads.models import Lead, LeadSource
from chats.models import Conversation
from chats.visits.models import Visit
from conftest import make_agent
from reports import selectors
from reports.escalations import services
from reports.tests.personas import escalate, logged_in, visitor_says

SOURCES = ["pre_chat", "identify", "queue_form", "escalation_contact"]


def chat_giving_email(client, source: str, email: str):
    """A chat whose visitor gave `email` by `source` only."""
    if source == "pre_chat":
        return chat_services.start_conversation(client=client, name="Maria", email=email, visitor_connected=True)
    chat = chat_services.start_conversation(client=client, name="Maria", visitor_connected=True)
    give_email(chat.conversation, source, email)
    return chat


def give_email(conversation, source: str, email: str) -> None:
    """The visitor of this chat gives `email` by `source` (any but the pre-chat form)."""
    if source == "identify":
        now = timezone.now()
        Visit.objects.create(
            client_id=conversation.client_id,
            key=uuid.uuid4(),
            started_at=now,
            last_seen_at=now,
            name="Maria",
            email=email,
            conversation=conversation,
        )
    elif source == "queue_form":
        Lead.objects.create(
            client_id=conversation.client_id,
            conversation=conversation,
            source=LeadSource.QUEUE,
            name="Maria",
            email=email,
            message="Call me back",
        )
    else:
        visitor_says(conversation.pk, f"You can write to me at {email} thanks")


def asked_before(agent, chat) -> list[str]:
    response = logged_in(agent.user).get(f"/console/api/conversations/{chat.conversation.pk}/visitor-history/")
    assert response.status_code == 200
    return [escalation["question"] for escalation in response.json()["escalations"]]


def earlier_answered_question(shop, ana, owner, source: str, email: str):
    earlier = chat_giving_email(shop, source, email)
    escalation = escalate(earlier, ana, question="Do you gift-wrap?", category="order")
    services.answer_escalation(escalation_id=escalation.pk, representative=owner, answer="Yes, for 3 €.")
    chat_services.close_conversation(conversation_id=earlier.conversation.pk, agent=ana)


@pytest.mark.parametrize("source", SOURCES)
def test_an_email_given_earlier_by_any_source_is_recognised(shop, ana, owner, source):
    earlier_answered_question(shop, ana, owner, source, "maria@example.com")
    again = chat_giving_email(shop, "pre_chat", "  Maria@Example.COM ")
    assert asked_before(ana, again) == ["Do you gift-wrap?"]


@pytest.mark.parametrize("source", SOURCES)
def test_an_email_given_now_by_any_source_is_recognised(shop, ana, owner, source):
    earlier_answered_question(shop, ana, owner, "pre_chat", "maria@example.com")
    again = chat_giving_email(shop, source, "MARIA@example.com")
    assert asked_before(ana, again) == ["Do you gift-wrap?"]


def test_another_clients_visitor_with_the_same_email_is_not_this_one(shop, ana, owner, other_shop):
    bob = make_agent("bob", other_shop)
    elsewhere = chat_giving_email(other_shop, "pre_chat", "maria@example.com")
    escalate(elsewhere, bob, question="Question at the other shop", category="order")
    again = chat_giving_email(shop, "identify", "maria@example.com")
    assert asked_before(ana, again) == []


def escalation_lookup(chat) -> tuple[int, str, list]:
    """How many queries "asked before" takes for this chat, and the SQL of the one reading escalations."""
    conversation = Conversation.objects.select_related("visitor").get(pk=chat.conversation.pk)
    with CaptureQueriesContext(connection) as queries:
        found = selectors.visitor_history(conversation)
    [lookup] = [query["sql"] for query in queries.captured_queries if 'FROM "reports_escalation"' in query["sql"]]
    return len(queries.captured_queries), lookup, [escalation.question for escalation in found]


def test_the_lookup_is_one_query_whose_shape_does_not_grow_with_the_visitors_emails(shop, ana, owner):
    earlier_answered_question(shop, ana, owner, "identify", "maria.work@example.com")
    one_email = chat_giving_email(shop, "pre_chat", "maria@example.com")
    many_emails = chat_giving_email(shop, "pre_chat", "maria@example.com")
    give_email(many_emails.conversation, "identify", "Maria.Work@example.com")
    give_email(many_emails.conversation, "queue_form", "maria.home@example.com")
    assert len(selectors.visitor_emails(many_emails.conversation)) == 3

    queries_for_one, sql_for_one, found_for_one = escalation_lookup(one_email)
    queries_for_many, sql_for_many, found_for_many = escalation_lookup(many_emails)
    assert (found_for_one, found_for_many) == ([], ["Do you gift-wrap?"])
    assert queries_for_one == queries_for_many
    assert sql_for_many.count("SELECT") == sql_for_one.count("SELECT")  # one subquery per source, not per email
