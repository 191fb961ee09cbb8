"""A missed chat in which the visitor wrote is a lead, never silence; the lead card and the
queue's "leave a message" complete one lead per chat."""

import pytest
from django.test import Client as HttpClient

from chats import services
from chats.leads import intake
from chats.leads import services as lead_services
from chats.leads.models import Lead, LeadSource
from chats.models import ConversationStatus, SenderKind
from conftest import make_client, start_chat
from core.errors import InvalidInput


def queued_chat_with_text(client, *texts):
    chat = start_chat(client)  # nobody serves the client: it waits
    for text in texts:
        services.post_message(
            conversation_id=chat.conversation.pk, sender=SenderKind.VISITOR, body=text, client_id=None
        )
    return chat


def test_a_missed_chat_with_typed_messages_becomes_a_lead(db):
    client = make_client()
    chat = queued_chat_with_text(client, "Do you ship to Poland?", "And to Spain?")
    assert services.mark_missed(conversation_id=chat.conversation.pk)
    lead = Lead.objects.get()
    assert lead.source == LeadSource.MISSED_CHAT
    assert lead.message == "Do you ship to Poland?\nAnd to Spain?"
    assert lead.name == "Maria" and lead.conversation_id == chat.conversation.pk


def test_a_missed_chat_where_nobody_wrote_is_no_lead(db):
    client = make_client()
    chat = start_chat(client)
    services.mark_missed(conversation_id=chat.conversation.pk)
    assert not Lead.objects.exists()


def test_leaving_a_message_while_queued_ends_the_wait_with_a_lead_carrying_the_chat(db):
    client = make_client()
    chat = queued_chat_with_text(client, "Is the blue one in stock?")
    lead = intake.leave_message_while_queued(
        client=client,
        conversation_id=chat.conversation.pk,
        token=chat.token,
        email="maria@example.com",
        message="Call me after 5.",
        has_consent=True,
    )
    chat.conversation.refresh_from_db()
    assert chat.conversation.status == ConversationStatus.MISSED
    assert lead.source == LeadSource.QUEUE
    assert lead.message == "Is the blue one in stock?\nCall me after 5."
    assert Lead.objects.count() == 1


def test_what_the_visitor_corrects_in_the_queue_form_is_kept_over_what_they_gave_at_the_start(db):
    client = make_client()
    started = services.start_conversation(client=client, name="Maria", email="old@example.com", visitor_connected=True)
    services.post_message(
        conversation_id=started.conversation.pk,
        sender=SenderKind.VISITOR,
        body="Is the blue one in stock?",
        client_id=None,
    )
    lead = intake.leave_message_while_queued(
        client=client,
        conversation_id=started.conversation.pk,
        token=started.token,
        name="Maria K.",
        email="new@example.com",
        has_consent=True,
    )
    lead.refresh_from_db()
    assert (lead.name, lead.email) == ("Maria K.", "new@example.com")


def test_leaving_a_message_needs_a_way_to_answer_and_consent(db):
    client = make_client()
    chat = queued_chat_with_text(client, "Hello?")
    with pytest.raises(InvalidInput):
        intake.leave_message_while_queued(
            client=client, conversation_id=chat.conversation.pk, token=chat.token, has_consent=True
        )
    with pytest.raises(InvalidInput):
        intake.leave_message_while_queued(
            client=client, conversation_id=chat.conversation.pk, token=chat.token, email="maria@example.com"
        )
    assert chat.conversation.status == ConversationStatus.QUEUED


def test_the_lead_card_completes_the_pre_chat_lead_instead_of_adding_one(db):
    client = make_client()
    chat = queued_chat_with_text(client)
    lead_services.record_lead_card(conversation_id=chat.conversation.pk, email="maria@example.com")
    lead = lead_services.record_lead_card(
        conversation_id=chat.conversation.pk, phone="+34 600 000 000", has_consent=True
    )
    assert Lead.objects.count() == 1
    assert (lead.email, lead.phone, lead.has_consent) == ("maria@example.com", "+34 600 000 000", True)


def test_the_widgets_leave_a_message_call_needs_the_chats_token_and_own_widget(db):
    client, other = make_client(), make_client("Other")
    chat = queued_chat_with_text(client, "Hello?")
    body = {
        "conversation": chat.conversation.pk,
        "token": chat.token,
        "email": "maria@example.com",
        "message": "Call me",
        "consent": True,
    }
    post = HttpClient().post
    wrong_token = post(
        f"/api/widget/{client.widget_key}/leads/", {**body, "token": "nope"}, content_type="application/json"
    )
    assert wrong_token.status_code == 403
    foreign = post(f"/api/widget/{other.widget_key}/leads/", body, content_type="application/json")
    assert foreign.status_code == 404
    bad = post(
        f"/api/widget/{client.widget_key}/leads/", {**body, "conversation": "1; DROP"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert not Lead.objects.exists()
    ok = post(f"/api/widget/{client.widget_key}/leads/", body, content_type="application/json")
    assert ok.status_code == 201 and Lead.objects.get().pk == ok.json()["id"]
    again = post(f"/api/widget/{client.widget_key}/leads/", body, content_type="application/json")
    assert again.json()["code"] == "closed"
