"""A frame whose handling fails unexpectedly gets an `internal` error frame; the socket stays open.

Dropping the socket made the widget resend the same frame forever; now the failure
is logged, nothing is acked, and the next frame works.
"""

import pytest
from channels.db import database_sync_to_async

from chats import writer
from chats.models import Message, SenderKind
from conftest import new_client_id, open_visitor, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


async def test_an_unexpected_failure_answers_an_internal_error_and_keeps_the_socket(served_chat, monkeypatch, caplog):
    _agent, chat = served_chat
    visitor = await open_visitor(chat)
    real_write_message = writer.write_message

    def broken_once(request):
        monkeypatch.setattr(writer, "write_message", real_write_message)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(writer, "write_message", broken_once)
    failed = new_client_id()
    await visitor.send_json_to({"type": "message", "client_id": failed, "body": "first"})
    error = await receive_until(visitor, lambda f: f.get("client_id") == failed)
    assert error["type"] == "error" and error["code"] == "internal" and error["detail"]
    assert "the database went away" in caplog.text

    accepted = new_client_id()
    await visitor.send_json_to({"type": "message", "client_id": accepted, "body": "second"})
    ack = await receive_until(visitor, lambda f: f.get("client_id") == accepted)
    assert ack["type"] == "ack"
    bodies = await database_sync_to_async(
        lambda: list(Message.objects.exclude(sender=SenderKind.SYSTEM).values_list("body", flat=True))
    )()
    assert bodies == ["second"]
    await visitor.disconnect()
