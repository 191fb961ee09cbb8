"""The visitor token travels in a subprotocol header, `?token=` still works, and no token
reaches the server's logs."""

import pytest
import websockets
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from agency.asgi import application
from conftest import make_client, receive_until, start_chat, visitor_communicator

pytestmark = pytest.mark.django_db(transaction=True)


def subprotocol_communicator(conversation_id: int, *offered: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/chat/{conversation_id}/", subprotocols=list(offered))


@pytest.fixture
def chat(db):
    return start_chat(make_client("Shop"))


async def test_the_token_in_a_subprotocol_opens_the_conversation(chat):
    communicator = subprotocol_communicator(chat.conversation.pk, "relevo.v1", f"relevo-token.{chat.token}")
    connected, subprotocol = await communicator.connect(timeout=5)
    assert connected and subprotocol == "relevo.v1"  # never the token: it would be echoed back
    status = await receive_until(communicator, lambda f: f["type"] == "status")
    assert status["conversation"] == chat.conversation.pk
    await communicator.disconnect()


async def test_the_token_in_the_query_string_still_works(chat):
    communicator = visitor_communicator(chat.conversation.pk, chat.token)
    connected, subprotocol = await communicator.connect(timeout=5)
    assert connected and subprotocol is None
    await communicator.disconnect()


@pytest.mark.parametrize(
    "offered",
    [
        ("relevo.v1", "relevo-token.guess"),
        ("relevo.v1",),
        ("relevo.v1", "relevo-token."),
    ],
)
async def test_a_wrong_or_missing_token_in_the_subprotocol_is_refused(chat, offered):
    communicator = subprotocol_communicator(chat.conversation.pk, *offered)
    connected, _ = await communicator.connect(timeout=5)
    assert not connected


async def test_a_token_opens_only_its_own_conversation(chat):
    other = await database_sync_to_async(lambda: start_chat(chat.conversation.client, name="Other"))()
    communicator = subprotocol_communicator(other.conversation.pk, "relevo.v1", f"relevo-token.{chat.token}")
    connected, _ = await communicator.connect(timeout=5)
    assert not connected


@pytest.mark.server
async def test_the_server_logs_no_visitor_token(asgi_servers, tmp_path):
    chat = await database_sync_to_async(lambda: start_chat(make_client("Shop")))()
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = asgi_servers(args=("--log-level", "info"), output=output)
        base = f"ws://127.0.0.1:{server.port}/ws/chat/{chat.conversation.pk}/"
        async with websockets.connect(f"{base}?token={chat.token}", open_timeout=5):
            pass
        with pytest.raises(websockets.InvalidStatus):
            async with websockets.connect(f"{base}?token=wrong-{chat.token}", open_timeout=5):
                pass
        async with websockets.connect(
            base, subprotocols=["relevo.v1", f"relevo-token.{chat.token}"], open_timeout=5
        ) as socket:
            assert socket.subprotocol == "relevo.v1"
        server.stop()
    written = log.read_text()
    assert f"/ws/chat/{chat.conversation.pk}/?token=[redacted]" in written  # the lines are there…
    assert chat.token not in written  # …without the secret
