"""A visitor socket whose connect fails after it took its place gives the place back:
`disconnect` never runs for a consumer that died in `connect`, and the process's lease
would otherwise count that socket for as long as the process lives."""

import pytest

from chats import visitor_presence
from conftest import open_visitor, served_chat, visitor_communicator  # noqa: F401  (fixture)
from core import limits

pytestmark = pytest.mark.django_db(transaction=True)


def places_taken(conversation_id: int) -> int:
    return limits.shared_counters().sockets.get(f"conversation:{conversation_id}", 0)


async def test_a_connect_that_fails_after_taking_its_place_gives_it_back(served_chat, monkeypatch):  # noqa: F811
    _, chat = served_chat
    conversation_id = chat.conversation.pk

    def database_gone(**kwargs):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(visitor_presence, "visitor_state", database_gone)
    socket = visitor_communicator(conversation_id, chat.token)
    with pytest.raises(ConnectionError):
        await socket.connect(timeout=5)  # accepted, then the status read fails: the consumer dies
        await socket.wait(timeout=5)
    assert places_taken(conversation_id) == 0

    monkeypatch.undo()
    visitor = await open_visitor(chat)
    assert places_taken(conversation_id) == 1
    await visitor.disconnect()
    assert places_taken(conversation_id) == 0
