"""A card number in any of the forms that once got through (issue 21, item 16), and a security
code said after one, is masked in what is stored, what every socket receives, the search index
and the transcript email, by post_message and by the group-commit batch alike; seqs keep order."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chats import events, services, writer
from chats.models import Message, SenderKind
from chats.writer import MessageRequest
from conftest import make_agent, make_client, new_client_id, open_agent, open_visitor, receive_until, start_chat
from quality.emails import compose
from quality.models import QualityEmail, QualityEmailKind

# (what the visitor sends, message by message; what is stored, message by message)
CASES = {
    "commas": (["pay with 4111,1111,1111,1111"], ["pay with 4111,11••,••••,1111"]),
    "colons": (["pay with 4111:1111:1111:1111"], ["pay with 4111:11••:••••:1111"]),
    "middle dots": (["pay with 4111·1111·1111·1111"], ["pay with 4111·11••·••••·1111"]),
    "bullets": (["pay with 4111•1111•1111•1111"], ["pay with 4111•11••••••••1111"]),
    "plus-encoded query": (
        ["see https://shop.example/pay?card=4111+1111+1111+1111"],
        ["see https://shop.example/pay?card=4111+11••+••••+1111"],
    ),
    "percent-encoded query": (
        ["see https://shop.example/pay?card=4111%201111%201111%201111"],
        ["see https://shop.example/pay?card=4111%2011••%20••••%201111"],
    ),
    "seven spaces": (
        ["pay with 4111       1111       1111       1111"],
        ["pay with 4111       11••       ••••       1111"],
    ),
    "markup": (["pay with 4111<b>1111</b>1111<i>1111</i>"], ["pay with 4111<b>11••</b>••••<i>1111</i>"]),
    "cvv in the next message": (
        ["my card is 4111 1111 1111 1111", "cvv 4321 exp 11/28"],
        ["my card is 4111 11•• •••• 1111", "cvv •••• exp ••/••"],
    ),
    "cvv glued to the card": (["card4111111111111111cvv123"], ["card411111••••••1111cvv•••"]),
    "the digits on the back": (
        ["4111 1111 1111 1111", "… the 3 digits on the back are 456"],
        ["4111 11•• •••• 1111", "… the 3 digits on the back are •••"],
    ),
}
FULL_NUMBER = "4111111111111111"


def stored(conversation_id: int) -> list[tuple[int, str]]:
    return list(
        Message.objects.filter(conversation_id=conversation_id, sender=SenderKind.VISITOR)
        .order_by("seq")
        .values_list("seq", "body")
    )


def search_vectors_match_bodies(conversation_id: int) -> bool:
    """Every stored message's search vectors were built from its masked body (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bool_and(search_simple = to_tsvector('simple', body) AND search_english = "
            "to_tsvector('english', body)) FROM chats_message WHERE conversation_id = %s",
            [conversation_id],
        )
        return cursor.fetchone()[0]


def search_vectors_text(conversation_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(search_simple::text || search_english::text, ' ') FROM chats_message "
            "WHERE conversation_id = %s",
            [conversation_id],
        )
        return cursor.fetchone()[0]


def transcript_email(conversation):
    email = QualityEmail.objects.create(
        kind=QualityEmailKind.TRANSCRIPT,
        client_id=conversation.client_id,
        conversation=conversation,
        address="maria@example.com",
        language="en",
        key=f"transcript:{conversation.pk}:test",
    )
    return compose([email])


def digits_of(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def assert_masked_everywhere(conversation, expected: list[str]):
    rows = stored(conversation.pk)
    assert [body for _, body in rows] == expected
    seqs = [seq for seq, _ in rows]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert search_vectors_match_bodies(conversation.pk)
    assert FULL_NUMBER not in digits_of(search_vectors_text(conversation.pk))
    email = transcript_email(conversation)
    assert all(body in email.text for body in expected)
    assert FULL_NUMBER not in digits_of(email.text) and FULL_NUMBER not in digits_of(email.html)


@pytest.fixture
def chat(db):
    shop = make_client()
    agent = make_agent("ana", shop, max_chats=5)
    return agent, start_chat(shop)


@pytest.mark.parametrize("sent, expected", CASES.values(), ids=CASES.keys())
def test_post_message_masks_every_form(chat, sent, expected, django_capture_on_commit_callbacks):
    _, started = chat
    doorbells: list = []
    token = events.outbox.set(doorbells)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            posted = [
                services.post_message(
                    conversation_id=started.conversation.pk,
                    sender=SenderKind.VISITOR,
                    body=body,
                    client_id=uuid.uuid4(),
                )
                for body in sent
            ]
    finally:
        events.outbox.reset(token)
    assert [message.frame["body"] for message in posted] == expected  # acked to the visitor and relayed
    assert all(message.masked for message in posted[-1:])
    relayed = [event["frame"]["body"] for _, event in doorbells if event["type"] == "chat.message"]
    assert relayed == expected
    assert_masked_everywhere(started.conversation, expected)


@pytest.mark.parametrize("sent, expected", CASES.values(), ids=CASES.keys())
def test_the_batch_path_masks_every_form_too(chat, sent, expected):
    agent, started = chat
    other = start_chat(started.conversation.client, name="Other")
    requests = []
    for n, body in enumerate(sent):  # interleaved with another chat's plain messages, as a busy process batches
        requests.append(
            MessageRequest(
                conversation_id=other.conversation.pk,
                sender=SenderKind.VISITOR,
                body=f"hello {n}",
                client_id=uuid.uuid4(),
            )
        )
        requests.append(
            MessageRequest(
                conversation_id=started.conversation.pk, sender=SenderKind.VISITOR, body=body, client_id=uuid.uuid4()
            )
        )
    outcomes = writer.write_messages(requests)
    mine = [
        outcome
        for request, outcome in zip(requests, outcomes, strict=True)
        if request.conversation_id == started.conversation.pk
    ]
    assert [outcome.frame["body"] for outcome in mine] == expected
    assert_masked_everywhere(started.conversation, expected)
    assert [body for _, body in stored(other.conversation.pk)] == [f"hello {n}" for n in range(len(sent))]


def test_a_security_code_much_later_or_from_someone_else_is_left_alone(chat):
    agent, started = chat
    conversation = started.conversation.pk

    def post(body, **kwargs):
        return services.post_message(conversation_id=conversation, body=body, client_id=None, **kwargs)

    post("my card is 4111 1111 1111 1111", sender=SenderKind.VISITOR)
    assert (
        post("your order 4521 ships today, code 123", sender=SenderKind.AGENT, agent=agent).frame["body"]
        == "your order 4521 ships today, code 123"
    )
    Message.objects.filter(conversation_id=conversation).update(
        created_at=Message.objects.get(conversation_id=conversation, seq=1).created_at.replace(year=2020)
    )
    assert post("cvv 123", sender=SenderKind.VISITOR).frame["body"] == "cvv 123"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sent, expected", CASES.values(), ids=CASES.keys())
async def test_both_sockets_receive_only_the_masked_text(served_chat, sent, expected):
    agent, started = served_chat
    console = await open_agent(agent)
    await receive_until(console, lambda f: f["type"] == "assigned")
    visitor = await open_visitor(started)
    for body, masked in zip(sent, expected, strict=True):
        await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": body})
        ack = await receive_until(visitor, lambda f: f["type"] == "ack")
        assert ack["body"] == masked and ack["masked"] is True
        seq = ack["seq"]
        relayed = await receive_until(console, lambda f, seq=seq: f["type"] == "message" and f["seq"] == seq)
        assert relayed["body"] == masked
    await visitor.disconnect()
    await console.disconnect()


def test_only_a_message_that_may_give_card_details_reads_the_earlier_ones(chat):
    _, started = chat

    def statements(body):
        with CaptureQueriesContext(connection) as queries:
            services.post_message(
                conversation_id=started.conversation.pk, sender=SenderKind.VISITOR, body=body, client_id=None
            )
        return len([query for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]])

    assert statements("order 58213 arrived on 12/05, 2 items for 150 EUR") == 2  # the hot path: no lookup
    assert statements("pay with 4111,1111,1111,1111") == 2  # masked on its own
    assert statements("cvv 4321 exp 11/28") == 4  # the sender's earlier messages read, this one rewritten
