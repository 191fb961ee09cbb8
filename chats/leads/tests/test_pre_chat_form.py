"""The client's pre-chat form: the widget gets its fields, a chat does not start without the
required answers, and an email or phone given makes the chat's lead."""

import pytest
from django.test import Client as HttpClient

from chats.leads import intake
from chats.leads.models import Lead, LeadSource
from chats.leads.tests.lead_factories import make_pre_chat_form
from clients.models import FieldMode
from conftest import make_client
from core.errors import InvalidInput


def test_the_widget_config_describes_the_form(db):
    client = make_client()
    make_pre_chat_form(client, phone=FieldMode.HIDDEN, consent_text="Privacy: we answer only.")
    config = HttpClient().get(f"/api/widget/{client.widget_key}/").json()
    assert config["pre_chat"] == {
        "fields": {"name": "optional", "email": "required"},
        "consent": "Privacy: we answer only.",
    }


def test_a_client_without_a_form_asks_nothing(db):
    client = make_client()
    assert HttpClient().get(f"/api/widget/{client.widget_key}/").json()["pre_chat"] is None


def test_without_a_form_the_widgets_name_and_email_stay_on_the_visitor_and_make_no_lead(db):
    client = make_client()
    started = intake.start_conversation(client=client, name="Maria", email="maria@example.com")
    visitor = started.conversation.visitor
    assert (visitor.name, visitor.email) == ("Maria", "maria@example.com")  # docs/protocol.md's POST body
    assert not Lead.objects.exists()


def test_a_missing_required_field_refuses_the_chat_and_creates_nothing(db):
    client = make_client()
    make_pre_chat_form(client)
    response = HttpClient().post(
        f"/api/widget/{client.widget_key}/conversations/",
        {"name": "Maria", "consent": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not client.conversations.exists()


def test_consent_must_be_ticked_when_the_form_asks_for_it(db):
    client = make_client()
    make_pre_chat_form(client)
    with pytest.raises(InvalidInput):
        intake.start_conversation(client=client, email="maria@example.com", has_consent=False)


def test_a_complete_form_starts_the_chat_and_makes_its_lead(db):
    client = make_client()
    make_pre_chat_form(client)
    response = HttpClient().post(
        f"/api/widget/{client.widget_key}/conversations/",
        {"name": "Maria", "email": "maria@example.com", "phone": "+48 600 100 200", "consent": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    lead = Lead.objects.get()
    assert (lead.source, lead.email, lead.phone, lead.has_consent) == (
        LeadSource.PRE_CHAT,
        "maria@example.com",
        "+48 600 100 200",
        True,
    )
    assert lead.conversation_id == response.json()["id"]


def test_fields_the_form_does_not_ask_are_not_stored(db):
    client = make_client()
    make_pre_chat_form(client, phone=FieldMode.HIDDEN, consent_text="")
    intake.start_conversation(client=client, email="maria@example.com", phone="+48 600 100 200")
    assert Lead.objects.get().phone == ""
