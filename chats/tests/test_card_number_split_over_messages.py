"""A card number typed over consecutive messages is masked in every part, and open screens are told."""

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chats import services
from chats.models import Message, SenderKind
from conftest import make_agent, make_client, new_client_id, open_agent, open_visitor, receive_until, start_chat


def stored(conversation_id):
    return list(Message.objects.filter(conversation_id=conversation_id).order_by("seq").values_list("seq", "body"))


@pytest.mark.django_db(transaction=True)
async def test_both_parts_are_stored_masked_and_every_socket_gets_the_redacted_text(served_chat):
    agent, chat = served_chat
    conversation = chat.conversation.pk
    console = await open_agent(agent)
    await receive_until(console, lambda f: f["type"] == "assigned")
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "my card 4111 1111"})
    first = await receive_until(visitor, lambda f: f["type"] == "ack")
    await receive_until(console, lambda f: f["type"] == "message" and f["body"] == "my card 4111 1111")

    await visitor.send_json_to({"type": "message", "client_id": new_client_id(), "body": "1111 1111 exp 12/29"})
    second = await receive_until(visitor, lambda f: f["type"] == "ack")

    assert second["masked"] is True and second["body"] == "•••• 1111 exp ••/••"
    redacted = {"type": "redacted", "conversation": conversation, "seq": first["seq"], "body": "my card 4111 11••"}
    assert await receive_until(console, lambda f: f["type"] == "redacted") == redacted
    assert await receive_until(visitor, lambda f: f["type"] == "redacted") == redacted
    relayed = await receive_until(console, lambda f: f["type"] == "message" and f["seq"] == second["seq"])
    assert relayed["body"] == "•••• 1111 exp ••/••"
    rows = await database_sync_to_async(stored)(conversation)
    assert (first["seq"], "my card 4111 11••") in rows
    assert (second["seq"], "•••• 1111 exp ••/••") in rows
    await visitor.disconnect()
    await console.disconnect()


@pytest.fixture
def chat_with_ana(db):
    client = make_client()
    agent = make_agent("ana", client)
    return agent, start_chat(client)


def post(chat, body, *, agent=None):
    return services.post_message(
        conversation_id=chat.conversation.pk,
        sender=SenderKind.AGENT if agent else SenderKind.VISITOR,
        body=body,
        client_id=None,
        agent=agent,
    )


def test_a_number_typed_group_by_group_is_masked_across_four_messages(chat_with_ana):
    agent, chat = chat_with_ana
    for body in ["4111", "1111"]:
        post(chat, body)
    post(chat, "ok, go on", agent=agent)  # the other side's messages in between do not matter
    post(chat, "1111")
    post(chat, "1111")
    visitor_bodies = [body for _, body in stored(chat.conversation.pk) if body in {"4111", "11••", "••••", "1111"}]
    assert visitor_bodies == ["4111", "11••", "••••", "1111"]


def test_numbers_that_form_no_card_together_are_left_alone(chat_with_ana):
    _, chat = chat_with_ana
    post(chat, "call me on 600 700 800")
    posted = post(chat, "2 items please")
    assert not posted.masked
    assert [body for _, body in stored(chat.conversation.pk)][-2:] == ["call me on 600 700 800", "2 items please"]


def test_an_agents_fragment_is_not_joined_to_the_visitors(chat_with_ana):
    agent, chat = chat_with_ana
    post(chat, "4111 1111")
    posted = post(chat, "1111 1111", agent=agent)
    assert not posted.masked
    assert [body for _, body in stored(chat.conversation.pk)][-2:] == ["4111 1111", "1111 1111"]


def statements_of(chat, body):
    with CaptureQueriesContext(connection) as queries:
        post(chat, body)
    return [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]


def test_the_message_path_stays_two_statements_unless_a_message_starts_with_a_digit(chat_with_ana):
    _, chat = chat_with_ana
    assert len(statements_of(chat, "Hello, my card is 4111 1111")) == 2
    assert len(statements_of(chat, "1111 1111 is the rest")) == 5  # the lookup and both rewrites
    assert len(statements_of(chat, "2 items please")) == 3  # the lookup only


def test_an_internal_note_is_never_joined_to_a_visible_message(chat_with_ana):
    agent, chat = chat_with_ana
    services.post_message(
        conversation_id=chat.conversation.pk,
        sender=SenderKind.AGENT,
        body="4111 1111",
        client_id=None,
        agent=agent,
        internal=True,
    )
    posted = post(chat, "1111 1111", agent=agent)
    assert not posted.masked
    assert [body for _, body in stored(chat.conversation.pk)][-2:] == ["4111 1111", "1111 1111"]


@pytest.mark.django_db(transaction=True)
async def test_a_card_split_over_internal_notes_is_masked_and_its_new_text_reaches_agents_only(served_chat):
    agent, chat = served_chat
    conversation = chat.conversation.pk
    console = await open_agent(agent)
    await receive_until(console, lambda f: f["type"] == "assigned")
    visitor = await open_visitor(chat)
    for body in ("note: card 4111 1111", "1111 1111"):
        await console.send_json_to(
            {
                "type": "message",
                "conversation": conversation,
                "client_id": new_client_id(),
                "body": body,
                "internal": True,
            }
        )
        await receive_until(console, lambda f: f["type"] == "ack")
    redacted = await receive_until(console, lambda f: f["type"] == "redacted")
    assert redacted["body"] == "note: card 4111 11••"
    await visitor.send_json_to({"type": "ping"})
    seen = []
    while not seen or seen[-1]["type"] != "pong":
        seen.append(await visitor.receive_json_from(timeout=5))
    assert await visitor.receive_nothing(timeout=0.5)
    assert [frame["type"] for frame in seen if frame["type"] in {"redacted", "message"}] == []  # no note's text
    await console.disconnect()
    await visitor.disconnect()
