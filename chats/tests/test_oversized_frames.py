"""Frames over the server's limits, on a real uvicorn with the production options (`--ws-max-size
65536`): one over CHAT_MAX_FRAME_BYTES is answered `too_long` and the socket stays; one over
--ws-max-size is closed by uvicorn with 1009 before Relevo sees it, and the chat resumes on the
next socket with nothing lost (the widget's side: test_browser_oversized_message.py)."""

import json

import pytest
import websockets
from channels.db import database_sync_to_async

from chats.models import Message
from chats.tests.server_probes import next_frame
from conftest import make_client, new_client_id, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


def visitor_socket(server, chat):
    return websockets.connect(
        f"ws://127.0.0.1:{server.port}/ws/chat/{chat.conversation.pk}/",
        subprotocols=["relevo.v1", f"relevo-token.{chat.token}"],
        open_timeout=5,
        max_size=None,
    )


async def say(socket, body: str) -> dict:
    client_id = new_client_id()
    await socket.send(json.dumps({"type": "message", "client_id": client_id, "body": body}))
    return await next_frame(socket, lambda f: f.get("client_id") == client_id)


async def test_a_frame_over_ws_max_size_closes_1009_and_the_chat_resumes_with_nothing_lost(asgi_servers):
    chat = await database_sync_to_async(lambda: start_chat(make_client("Shop")))()
    server = asgi_servers()
    async with visitor_socket(server, chat) as socket:
        await socket.send(json.dumps({"type": "resume", "after": 0}))
        first = await say(socket, "before")
        assert first["type"] == "ack"
        refused = await say(socket, "x" * 20_000)  # over CHAT_MAX_FRAME_BYTES, under --ws-max-size
        assert (refused["type"], refused["code"]) == ("error", "too_long")

        await socket.send(json.dumps({"type": "message", "client_id": new_client_id(), "body": "x" * (1 << 20)}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await next_frame(socket, lambda f: False)
        assert closed.value.rcvd.code == 1009

    async with visitor_socket(server, chat) as socket:
        await socket.send(json.dumps({"type": "resume", "after": 0}))
        resumed = await next_frame(socket, lambda f: f["type"] == "message" and f["sender"] == "visitor")
        assert (resumed["seq"], resumed["body"]) == (first["seq"], "before")
        assert (await say(socket, "after"))["type"] == "ack"

    bodies = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation=chat.conversation, sender="visitor").values_list("body", flat=True)
        )
    )()
    assert bodies == ["before", "after"]
