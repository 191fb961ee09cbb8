"""Messages posted at the same moment by many sockets of one process share one commit
(chats.group_commit), and each keeps every guarantee of post_message: once per
client_id, gapless seqs, a refusal that fails only its own message."""

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async

from chats import errors, group_commit, services, writer
from chats.models import Conversation, Message, SenderKind
from conftest import make_agent, make_client, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def five_chats() -> list[int]:
    shop = make_client()
    make_agent("ana", shop, max_chats=5)
    return [start_chat(shop, name=f"visitor {n}").conversation.pk for n in range(5)]


def stored_seqs(conversation_id: int) -> list[tuple[int, str]]:
    return list(
        Message.objects.filter(conversation_id=conversation_id)
        .exclude(sender=SenderKind.SYSTEM)
        .order_by("seq")
        .values_list("seq", "body")
    )


def last_seqs(conversation_ids: list[int]) -> dict[int, int]:
    return dict(Conversation.objects.filter(pk__in=conversation_ids).values_list("pk", "last_seq"))


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """The size of every batch group commit stores."""
    sizes = []
    real_store = group_commit.store

    def counted(batch, collected):
        sizes.append(len(batch))
        return real_store(batch, collected)

    monkeypatch.setattr(group_commit, "store", counted)
    return sizes


def visitor_message(conversation_id: int, body: str, client_id: uuid.UUID | None = None) -> dict:
    return {
        "conversation_id": conversation_id,
        "sender": SenderKind.VISITOR,
        "body": body,
        "client_id": client_id or uuid.uuid4(),
    }


async def test_messages_of_many_chats_posted_at_once_share_a_commit_with_gapless_seqs(batches):
    chats = await database_sync_to_async(five_chats)()
    before = await database_sync_to_async(last_seqs)(chats)

    posted = await asyncio.gather(
        *(group_commit.post_message(**visitor_message(chat, f"message {n}")) for n in range(3) for chat in chats)
    )

    assert len(batches) < len(posted) and sum(batches) == len(posted)
    assert all(message.created for message in posted)
    for chat in chats:
        seqs = [message.seq for message in posted if message.frame["conversation"] == chat]
        assert seqs == [before[chat] + 1, before[chat] + 2, before[chat] + 3]
        stored = await database_sync_to_async(stored_seqs)(chat)
        assert stored == [(seq, f"message {n}") for n, seq in enumerate(seqs)]


async def test_a_refused_message_fails_alone_and_takes_no_seq(batches):
    chats = await database_sync_to_async(five_chats)()
    retried = uuid.uuid4()
    first = await group_commit.post_message(**visitor_message(chats[0], "Hello", retried))
    await database_sync_to_async(services.close_conversation)(conversation_id=chats[1])
    before = await database_sync_to_async(last_seqs)(chats)

    outcomes = await asyncio.gather(
        group_commit.post_message(**visitor_message(chats[0], "Hello", retried)),
        group_commit.post_message(**visitor_message(chats[1], "Anyone there?")),
        group_commit.post_message(**visitor_message(chats[0], "Still there?")),
        group_commit.post_message(**visitor_message(chats[2], "x" * 100_000)),
        return_exceptions=True,
    )

    assert batches[-1] == 4
    duplicate, closed, fresh, too_long = outcomes
    assert not duplicate.created and duplicate.seq == first.seq
    assert isinstance(closed, errors.ConversationClosed)
    assert isinstance(too_long, errors.TooLong)
    assert fresh.created and fresh.seq == before[chats[0]] + 1
    assert await database_sync_to_async(last_seqs)(chats) == {**before, chats[0]: before[chats[0]] + 1}


async def test_a_batch_that_fails_unexpectedly_is_stored_message_by_message(batches, monkeypatch):
    chats = await database_sync_to_async(five_chats)()
    real_write_message = writer.write_message

    def broken_for_one_body(request):
        if request.body == "the one that breaks":
            raise RuntimeError("the database went away")
        return real_write_message(request)

    def broken_batch(requests):
        if any(request.body == "the one that breaks" for request in requests):
            raise RuntimeError("the database went away")
        raise AssertionError("not reached")

    monkeypatch.setattr(writer, "write_message", broken_for_one_body)
    monkeypatch.setattr(writer, "write_messages", broken_batch)
    before = await database_sync_to_async(last_seqs)(chats)

    outcomes = await asyncio.gather(
        group_commit.post_message(**visitor_message(chats[0], "first")),
        group_commit.post_message(**visitor_message(chats[0], "the one that breaks")),
        group_commit.post_message(**visitor_message(chats[1], "second")),
        return_exceptions=True,
    )

    assert batches[-1] == 3
    first, broken, second = outcomes
    assert isinstance(broken, RuntimeError)
    assert first.seq == before[chats[0]] + 1 and second.seq == before[chats[1]] + 1
    assert [body for _, body in await database_sync_to_async(stored_seqs)(chats[0])] == ["first"]
    assert [body for _, body in await database_sync_to_async(stored_seqs)(chats[1])] == ["second"]


def agent_message(conversation_id: int, body: str, agent, *, internal: bool = False) -> dict:
    return {
        "conversation_id": conversation_id,
        "sender": SenderKind.AGENT,
        "body": body,
        "client_id": uuid.uuid4(),
        "agent": agent,
        "internal": internal,
    }


def chats_of_ana() -> tuple[object, list[int]]:
    shop = make_client()
    agent = make_agent("ana", shop, max_chats=5)
    chats = [start_chat(shop, name=f"visitor {n}").conversation.pk for n in range(3)]
    return type(agent).objects.select_related("user").get(pk=agent.pk), chats


async def post_together(*requests: dict) -> list:
    return await asyncio.gather(*(group_commit.post_message(**request) for request in requests), return_exceptions=True)


async def test_a_client_id_sent_twice_in_one_batch_is_stored_once_and_both_get_its_seq(batches):
    chats = await database_sync_to_async(five_chats)()
    twice = uuid.uuid4()
    before = await database_sync_to_async(last_seqs)(chats)

    first, again, other = await post_together(
        visitor_message(chats[0], "Hello", twice),
        visitor_message(chats[0], "Hello", twice),
        visitor_message(chats[1], "Hi"),
    )

    assert batches[-1] == 3
    assert first.created and not again.created and again.seq == first.seq == before[chats[0]] + 1
    assert other.seq == before[chats[1]] + 1
    assert await database_sync_to_async(stored_seqs)(chats[0]) == [(first.seq, "Hello")]


async def test_a_card_number_split_inside_one_batch_is_masked_and_keeps_the_order_it_came_in(batches):
    chats = await database_sync_to_async(five_chats)()
    before = await database_sync_to_async(last_seqs)(chats)

    posted = await post_together(
        visitor_message(chats[0], "my card 4111 1111"),
        visitor_message(chats[1], "plain words"),
        visitor_message(chats[0], "1111 1111 exp 12/29"),
        visitor_message(chats[0], "thanks"),
    )

    assert batches[-1] == 4 and all(message.created for message in posted)
    assert [message.seq for message in posted] == [
        before[chats[0]] + 1,
        before[chats[1]] + 1,
        before[chats[0]] + 2,
        before[chats[0]] + 3,
    ]
    assert posted[2].masked
    assert await database_sync_to_async(stored_seqs)(chats[0]) == [
        (before[chats[0]] + 1, "my card 4111 11••"),
        (before[chats[0]] + 2, "•••• 1111 exp ••/••"),
        (before[chats[0]] + 3, "thanks"),
    ]


async def test_in_a_batch_an_agent_writes_only_to_their_chats_and_the_first_visible_reply_is_timed(batches):
    ana, chats = await database_sync_to_async(chats_of_ana)()
    other_shop = await database_sync_to_async(make_client)("Other")
    bob = await database_sync_to_async(make_agent)("bob", other_shop)

    note, reply, intruder, visitor = await post_together(
        agent_message(chats[0], "a note for colleagues", ana, internal=True),
        agent_message(chats[0], "Hello, how can I help?", ana),
        agent_message(chats[1], "not my chat", bob),
        visitor_message(chats[1], "anyone?"),
    )

    assert batches[-1] == 4
    assert note.frame["internal"] and reply.created and visitor.created
    assert isinstance(intruder, errors.Forbidden)
    conversation = await Conversation.objects.aget(pk=chats[0])
    reply_row = await Message.objects.aget(conversation_id=chats[0], seq=reply.seq)
    assert conversation.first_response_at == reply_row.created_at
    assert reply.frame["author"] == "Ana" and reply_row.author_id == ana.user_id
    assert not await Message.objects.filter(conversation_id=chats[1], body="not my chat").aexists()


async def test_a_message_sent_as_the_last_batch_ends_is_stored_not_left_waiting(settings, monkeypatch):
    """One committer, doorbells that ring without waiting: the sender of the first message is woken
    before the committer's task has ended, and its next message must still find a committer."""
    settings.CHAT_COMMITS_AT_ONCE = 1

    async def rung_at_once(layer, doorbells):
        return None

    monkeypatch.setattr(group_commit.events, "ring_all", rung_at_once)
    chats = await database_sync_to_async(five_chats)()

    async with asyncio.timeout(5):  # awaited in this task (wait_for's own task would hide the race)
        for n in range(5):
            assert (await group_commit.post_message(**visitor_message(chats[0], f"message {n}"))).created
