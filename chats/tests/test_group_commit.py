"""Messages posted at the same moment by many sockets of one process share one commit
(chats.group_commit), and each keeps every guarantee of post_message: once per
client_id, gapless seqs, a refusal that fails only its own message."""
import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async

from chats import errors, group_commit, services
from chats.models import Conversation, Message, SenderKind
from conftest import make_agent, make_client, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def five_chats() -> list[int]:
    shop = make_client()
    make_agent("ana", shop, max_chats=5)
    return [start_chat(shop, name=f"visitor {n}").conversation.pk for n in range(5)]


def stored_seqs(conversation_id: int) -> list[tuple[int, str]]:
    return list(Message.objects.filter(conversation_id=conversation_id).exclude(sender=SenderKind.SYSTEM)
                .order_by("seq").values_list("seq", "body"))


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
    return {"conversation_id": conversation_id, "sender": SenderKind.VISITOR, "body": body,
            "client_id": client_id or uuid.uuid4()}


async def test_messages_of_many_chats_posted_at_once_share_a_commit_with_gapless_seqs(batches):
    chats = await database_sync_to_async(five_chats)()
    before = await database_sync_to_async(last_seqs)(chats)

    posted = await asyncio.gather(*(group_commit.post_message(**visitor_message(chat, f"message {n}"))
                                    for n in range(3) for chat in chats))

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
    real_post_message = services.post_message

    def broken_for_one_body(**kwargs):
        if kwargs["body"] == "the one that breaks":
            raise RuntimeError("the database went away")
        return real_post_message(**kwargs)

    monkeypatch.setattr(services, "post_message", broken_for_one_body)
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
