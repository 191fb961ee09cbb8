"""Text stored before the masking rule grew is masked by one re-runnable command."""
from io import StringIO

from django.core.management import call_command

from chats.models import Conversation, Message, Visitor
from clients.models import OfflineMessage
from reports.models import Escalation
from reports.tests.conftest import escalate, visitor_says

DOTTED = "4111.1111.1111.1111"


def test_stored_messages_names_addresses_notes_and_leads_are_masked_and_ibans_kept(chat, ana, shop):
    conversation = chat.conversation
    seq = visitor_says(conversation.pk, "hello")
    Message.objects.filter(conversation=conversation, seq=seq).update(body=f"card {DOTTED} exp 12/29 cvv 123")
    iban = "IBAN PL61 1090 1014 0000 0712 1981 2874"
    iban_seq = visitor_says(conversation.pk, iban)
    Visitor.objects.filter(pk=conversation.visitor_id).update(name=f"Maria {DOTTED}")
    Conversation.objects.filter(pk=conversation.pk).update(page_url=f"https://shop.example/?c={DOTTED}")
    escalation = escalate(chat, ana)
    Escalation.objects.filter(pk=escalation.pk).update(note=f"card {DOTTED}")
    lead = OfflineMessage.objects.create(client=shop, name="Maria", email="maria@example.com",
                                         message=f"pay with {DOTTED}")
    out = StringIO()

    call_command("mask_stored_card_numbers", stdout=out)

    assert Message.objects.get(conversation=conversation, seq=seq).body == "card 4111.11••.••••.1111 exp ••/•• cvv •••"
    assert Message.objects.get(conversation=conversation, seq=iban_seq).body == iban
    assert Visitor.objects.get(pk=conversation.visitor_id).name == "Maria 4111.11••.••••.1111"
    assert Conversation.objects.get(pk=conversation.pk).page_url == "https://shop.example/?c=4111.11••.••••.1111"
    assert Escalation.objects.get(pk=escalation.pk).note == "card 4111.11••.••••.1111"
    assert OfflineMessage.objects.get(pk=lead.pk).message == "pay with 4111.11••.••••.1111"
    assert "chats.Message: 1 rewritten" in out.getvalue()


def test_running_it_again_rewrites_nothing(chat):
    visitor_says(chat.conversation.pk, f"card {DOTTED}")
    out = StringIO()
    call_command("mask_stored_card_numbers", stdout=out)
    assert out.getvalue().count(": 0 rewritten") == 8
