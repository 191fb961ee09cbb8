"""A supervisor's whisper and a transfer's note are messages like any other: a card number split
over notes, or the security code after one, is masked where it is stored and where it is relayed."""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group

from agency import roles
from agency.models import Agent, Presence
from chats import events, services
from chats.models import Message, SenderKind
from chats.teamwork import transfers
from conftest import make_agent, make_client, new_client_id, start_chat
from supervision import services as supervision

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervised_chat(db):
    shop = make_client("Shop")
    ana = make_agent("ana", shop)
    bea = make_agent("bea", shop, presence=Presence.AWAY)  # gets no chat by routing
    chat = start_chat(shop)
    Agent.objects.filter(pk=bea.pk).update(presence=Presence.ONLINE)
    sara = make_agent("sara", max_chats=2)
    sara.user.groups.add(Group.objects.get_or_create(name=roles.SUPERVISOR)[0])
    return ana, bea, chat.conversation.pk, sara.user


@pytest.fixture
def ringing(django_capture_on_commit_callbacks):
    """A context in which the doorbells rung after commit are collected (the list it gives)."""

    @contextmanager
    def collect():
        rung: list = []
        token = events.outbox.set(rung)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield rung
        finally:
            events.outbox.reset(token)

    return collect


def notes(conversation_id):
    return list(
        Message.objects.filter(conversation_id=conversation_id, is_internal=True)
        .order_by("seq")
        .values_list("seq", "body")
    )


def relayed(rung, kind):
    return [(event["frame"]["seq"], event["frame"]["body"]) for _, event in rung if event["type"] == kind]


def test_a_card_number_whispered_over_two_notes_is_masked_stored_and_relayed(supervised_chat, ringing):
    _ana, _bea, conversation, sara = supervised_chat
    with ringing() as doorbells:
        first = supervision.whisper(
            user=sara, conversation_id=conversation, body="her card 4111 1111", client_id=new_client_id()
        )
        second = supervision.whisper(
            user=sara, conversation_id=conversation, body="1111 1111 cvv 123", client_id=new_client_id()
        )

    assert second.frame["body"] == "•••• 1111 cvv •••" and second.masked
    assert notes(conversation) == [(first.seq, "her card 4111 11••"), (second.seq, "•••• 1111 cvv •••")]
    assert (first.seq, "her card 4111 11••") in relayed(doorbells, "chat.redacted")
    assert (second.seq, "•••• 1111 cvv •••") in relayed(doorbells, "chat.message")


def test_a_whisper_retried_with_its_client_id_is_answered_with_the_same_seq(supervised_chat):
    _ana, _bea, conversation, sara = supervised_chat
    client_id = new_client_id()
    first = supervision.whisper(user=sara, conversation_id=conversation, body="Offer a voucher", client_id=client_id)
    again = supervision.whisper(user=sara, conversation_id=conversation, body="Offer a voucher", client_id=client_id)
    assert again.seq == first.seq and first.created and not again.created
    assert (again.frame["author"], again.frame["internal"]) == ("Sara", True)


def test_a_transfer_note_that_ends_a_card_number_begun_in_a_note_is_masked(supervised_chat, ringing):
    ana, bea, conversation, _sara = supervised_chat
    begun = services.post_message(
        conversation_id=conversation,
        sender=SenderKind.AGENT,
        body="card 4111 1111",
        client_id=new_client_id(),
        agent=ana,
        internal=True,
    )

    with ringing() as doorbells:
        transfers.transfer_conversation(
            conversation_id=conversation, agent=ana, to_agent_id=bea.pk, note="1111 1111, she will call"
        )

    assert notes(conversation) == [(begun.seq, "card 4111 11••"), (begun.seq + 1, "•••• 1111, she will call")]
    assert (begun.seq, "card 4111 11••") in relayed(doorbells, "chat.redacted")
    assert (begun.seq + 1, "•••• 1111, she will call") in relayed(doorbells, "chat.message")


def test_a_transfer_note_with_the_security_code_of_a_noted_card_is_masked(supervised_chat):
    ana, bea, conversation, _sara = supervised_chat
    services.post_message(
        conversation_id=conversation,
        sender=SenderKind.AGENT,
        body="card 4111 1111 1111 1111",
        client_id=new_client_id(),
        agent=ana,
        internal=True,
    )

    transfers.transfer_conversation(conversation_id=conversation, agent=ana, to_agent_id=bea.pk, note="cvv 123")

    assert [body for _, body in notes(conversation)] == ["card 4111 11•• •••• 1111", "cvv •••"]
