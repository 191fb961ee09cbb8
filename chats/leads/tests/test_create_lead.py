"""One service creates every lead: checked like any text a person sends (control characters
refused, card numbers masked), and announced to subscribers only after it commits."""

import pytest

from chats.leads import services as lead_services
from chats.leads import signals
from chats.leads.models import Lead, LeadSource
from chats.leads.tests.lead_factories import make_pre_chat_form
from clients.errors import UnprintableText
from conftest import make_client
from core.errors import InvalidInput


@pytest.fixture
def announced():
    seen: list[int] = []

    def receiver(sender, *, lead_id, **kwargs):
        seen.append(lead_id)

    signals.lead_created.connect(receiver)
    yield seen
    signals.lead_created.disconnect(receiver)


def test_a_lead_is_announced_after_its_transaction_commits(db, announced, django_capture_on_commit_callbacks):
    client = make_client()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lead = lead_services.create_lead(
            client=client,
            source=LeadSource.LEAD_CARD,
            contact=lead_services.checked_contact(name="Maria", email="m@example.com"),
        )
        assert announced == []
    for callback in callbacks:
        callback()
    assert announced == [lead.pk]


def test_card_numbers_are_masked_in_the_name_and_message(db):
    client = make_client()
    lead = lead_services.create_lead(
        client=client,
        source=LeadSource.QUEUE,
        contact=lead_services.checked_contact(name="Maria 4111 1111 1111 1111", email="m@example.com"),
        message="My card is 4111 1111 1111 1111, call me",
    )
    assert "4111 1111 1111 1111" not in lead.name + lead.message
    assert "1111" in lead.message


@pytest.mark.parametrize("field", ["name", "email", "phone"])
def test_control_characters_are_refused_in_every_contact_field(db, field):
    with pytest.raises(UnprintableText):
        lead_services.checked_contact(**{field: "bad\x00value"})


def test_a_card_number_given_as_phone_is_refused(db):
    with pytest.raises(InvalidInput):
        lead_services.checked_contact(phone="4111 1111 1111 1111")


def test_a_malformed_email_or_phone_is_refused(db):
    with pytest.raises(InvalidInput):
        lead_services.checked_contact(email="not-an-email")
    with pytest.raises(InvalidInput):
        lead_services.checked_contact(phone="call me")


def test_consent_keeps_the_privacy_text_the_visitor_agreed_to(db):
    client = make_client()
    make_pre_chat_form(client, consent_text="We call you back within a day.")
    lead = lead_services.create_lead(
        client=client,
        source=LeadSource.PRE_CHAT,
        contact=lead_services.checked_contact(email="m@example.com", has_consent=True),
    )
    assert lead.has_consent and lead.consent_text == "We call you back within a day."
    assert Lead.objects.get().consent_text == "We call you back within a day."
