"""The message writer (chats.writer) does each message's work once, whichever path it takes: its body
checked and masked once, pci's follow-up question (may it continue a card number or give its CVV?)
asked once; a message that may give a CVV costs no lookup when no card number is near; and a line
for another conversation than the row lock its caller holds is refused, not written."""

import uuid
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from chats import writer
from chats.models import Conversation, Message, SenderKind
from clients import pci
from conftest import make_agent, make_client, start_chat


@pytest.fixture
def two_chats(db) -> list[int]:
    shop = make_client()
    make_agent("ana", shop, max_chats=5)
    return [start_chat(shop, name=f"visitor {n}").conversation.pk for n in range(2)]


def counted(monkeypatch, name: str) -> Counter:
    """How many times pci.<name> is called, by the text it is given."""
    calls: Counter = Counter()
    real = getattr(pci, name)

    def counting(text, *args, **kwargs):
        calls[text] += 1
        return real(text, *args, **kwargs)

    monkeypatch.setattr(pci, name, counting)
    return calls


def from_visitor(conversation_id: int, body: str) -> writer.MessageRequest:
    return writer.MessageRequest(
        conversation_id=conversation_id, sender=SenderKind.VISITOR, body=body, client_id=uuid.uuid4()
    )


def batch_with_a_slow_chat(chats: list[int]) -> list[writer.MessageRequest]:
    """The first chat goes the slow way (a message that may give a CVV), the second the batch's INSERT."""
    return [
        from_visitor(chats[0], "my cvv is 123"),
        from_visitor(chats[0], "hello there"),
        from_visitor(chats[1], "hi"),
    ]


def test_each_message_of_a_batchs_slow_path_is_checked_and_masked_once(two_chats, monkeypatch):
    masked = counted(monkeypatch, "mask_card_numbers")

    outcomes = writer.write_messages(batch_with_a_slow_chat(two_chats))

    assert all(isinstance(outcome, writer.PostedMessage) and outcome.created for outcome in outcomes)
    assert masked == {"my cvv is 123": 1, "hello there": 1, "hi": 1}


def test_the_follow_up_question_is_asked_once_per_message_of_a_batch(two_chats, monkeypatch):
    asked = counted(monkeypatch, "mask_card_details")  # the question's costly half

    writer.write_messages(batch_with_a_slow_chat(two_chats))

    assert asked == {"my cvv is 123": 1, "hello there": 1, "hi": 1}


def statements_of(request: writer.MessageRequest) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        writer.write_message(request)
    return [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]


def test_a_message_that_may_give_a_cvv_costs_no_lookup_when_no_card_is_near(two_chats):
    chat = two_chats[0]
    assert len(statements_of(from_visitor(chat, "Hello, how are you?"))) == 2
    assert len(statements_of(from_visitor(chat, "my discount code is 1234"))) == 2
    assert len(statements_of(from_visitor(chat, "exp 12/29 on the voucher"))) == 2


def test_a_cvv_after_a_card_number_is_still_masked(two_chats):
    chat = two_chats[0]
    writer.write_message(from_visitor(chat, "my card is 4111 1111 1111 1111"))
    posted = writer.write_message(from_visitor(chat, "and the cvv is 123"))
    assert posted.masked and posted.frame["body"] == "and the cvv is •••"
    assert Message.objects.get(conversation_id=chat, seq=posted.seq).body == "and the cvv is •••"


def test_a_line_for_another_conversation_than_the_lock_held_is_refused(two_chats):
    one, other = two_chats
    last_seqs = dict(Conversation.objects.values_list("pk", "last_seq"))
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=other)
        with pytest.raises(ValueError, match=f"conversation {one}"):
            writer.write_message(
                writer.MessageRequest(conversation_id=one, sender=SenderKind.SYSTEM, body="Hello"), locked=locked
            )
    assert dict(Conversation.objects.values_list("pk", "last_seq")) == last_seqs
    assert not Message.objects.filter(body="Hello").exists()
