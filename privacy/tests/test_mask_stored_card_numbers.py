"""Text stored before the masking rule grew is masked by one re-runnable command."""

from io import StringIO

from django.core.management import call_command

from chats import services as chat_services
from chats.models import Conversation, Message, SenderKind, Visitor
from clients.models import OfflineMessage
from reports.models import Escalation
from reports.tests.personas import escalate, visitor_says

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
    lead = OfflineMessage.objects.create(
        client=shop, name="Maria", email="maria@example.com", message=f"pay with {DOTTED}"
    )
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


def test_new_forms_a_card_typed_over_messages_and_a_cvv_sent_after_a_card_are_masked(chat, ana):
    conversation = chat.conversation.pk
    written = {
        "pay with 4111<b>1111</b>1111<i>1111</i>": "pay with 4111<b>11••</b>••••<i>1111</i>",
        "my card 4111,1111": "my card 4111,11••",
        "1111,1111": "••••,1111",
        "cvv 4321 exp 11/28": "cvv •••• exp ••/••",
        "thanks!": "thanks!",
    }
    seqs = {}
    for body in written:
        seq = visitor_says(conversation, "hello")
        Message.objects.filter(conversation_id=conversation, seq=seq).update(body=body)  # as stored before
        seqs[body] = seq
    chat_services.post_message(
        conversation_id=conversation, sender=SenderKind.AGENT, body="code 123", client_id=None, agent=ana
    )  # another sender's, after the card: left alone
    out = StringIO()

    call_command("mask_stored_card_numbers", stdout=out)

    assert {
        body: Message.objects.get(conversation_id=conversation, seq=seq).body for body, seq in seqs.items()
    } == written
    assert Message.objects.filter(conversation_id=conversation, body="code 123").exists()
    assert "chats.Message: 4 rewritten" in out.getvalue()
