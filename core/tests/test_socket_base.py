"""core.sockets.FrameSocket, the receive template of every socket that takes frames: parse, rate
limit, handle; a refusal is its error frame, a failure an `internal` one (logged), and the socket
stays open whatever it is sent."""

import json
import logging
import uuid

import pytest
from channels.testing import WebsocketCommunicator

from core import limits
from core.errors import Forbidden
from core.sockets import FrameSocket

CLIENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


class EchoSocket(FrameSocket):
    """A tiny socket: `echo` answers, `refuse` raises a RelevoError, `boom` fails; 3 frames at most."""

    channel_layer_alias = "no-layer-for-this-socket"
    frame_types = frozenset({"echo", "refuse", "boom", "unhandled"})

    async def connect(self):
        self.bucket = limits.TokenBucket(rate_per_minute=1, burst=3)
        await self.accept()

    async def frame_echo(self, frame: dict) -> None:
        await self.send_frame({"type": "echoed", "said": frame.get("say")})

    async def frame_refuse(self, frame: dict) -> None:
        raise Forbidden()

    async def frame_boom(self, frame: dict) -> None:
        raise RuntimeError("the handler broke")


@pytest.fixture
async def socket():
    communicator = WebsocketCommunicator(EchoSocket.as_asgi(), "/ws/echo/")
    connected, _ = await communicator.connect()
    assert connected
    yield communicator
    await communicator.disconnect()


async def answer_to(socket, raw: str) -> dict:
    await socket.send_to(text_data=raw)
    return json.loads(await socket.receive_from())


async def still_open(socket) -> bool:
    return (await answer_to(socket, '{"type": "echo", "say": "still here"}')) == {
        "type": "echoed",
        "said": "still here",
    }


async def test_a_frame_of_a_type_the_socket_takes_goes_to_its_frame_method(socket):
    assert await answer_to(socket, '{"type": "echo", "say": "hi"}') == {"type": "echoed", "said": "hi"}


async def test_a_frame_past_the_size_limit_is_too_long_and_names_its_client_id(socket, settings):
    settings.CHAT_MAX_FRAME_BYTES = 100
    error = await answer_to(socket, json.dumps({"type": "echo", "client_id": CLIENT_ID, "say": "x" * 200}))
    assert (error["type"], error["code"], error["client_id"]) == ("error", "too_long", CLIENT_ID)
    assert "100" in error["detail"]
    assert await still_open(socket)


@pytest.mark.parametrize("raw", ["not json", "{", "[1, 2]", '"a string"', "42", "null"])
async def test_a_frame_that_is_not_a_json_object_is_bad_json(socket, raw):
    error = await answer_to(socket, raw)
    assert (error["type"], error["code"]) == ("error", "bad_json") and error["detail"]
    assert await still_open(socket)


@pytest.mark.parametrize(
    "raw", ['{"type": "message"}', '{"say": "no type"}', '{"type": ["echo"]}', '{"type": {"a": 1}}']
)
async def test_a_frame_of_a_type_the_socket_does_not_take_is_bad_frame(socket, raw):
    error = await answer_to(socket, raw)
    assert (error["type"], error["code"]) == ("error", "bad_frame")
    assert await still_open(socket)


async def test_a_type_the_socket_takes_but_does_not_handle_is_bad_frame_not_a_failure(socket, caplog):
    error = await answer_to(socket, '{"type": "unhandled"}')
    assert (error["type"], error["code"]) == ("error", "bad_frame")
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_a_relevo_error_is_its_own_error_frame_naming_the_frames_client_id(socket):
    error = await answer_to(socket, json.dumps({"type": "refuse", "client_id": CLIENT_ID}))
    assert error == {
        "type": "error",
        "code": "forbidden",
        "detail": str(Forbidden.default_detail),
        "client_id": CLIENT_ID,
    }
    assert await still_open(socket)


async def test_an_unexpected_failure_is_an_internal_error_frame_and_logged_with_its_traceback(socket, caplog):
    with caplog.at_level(logging.ERROR, logger="core.sockets"):
        error = await answer_to(socket, json.dumps({"type": "boom", "client_id": CLIENT_ID}))
    assert (error["type"], error["code"], error["client_id"]) == ("error", "internal", CLIENT_ID)
    [record] = [record for record in caplog.records if record.name == "core.sockets"]
    assert record.levelno == logging.ERROR and "boom frame failed on EchoSocket" in record.getMessage()
    assert record.exc_info and "the handler broke" in caplog.text
    assert await still_open(socket)


async def test_past_the_burst_a_frame_is_rate_limited_with_a_retry_time_and_not_handled(socket):
    for n in range(3):
        assert await answer_to(socket, json.dumps({"type": "echo", "say": n})) == {"type": "echoed", "said": n}
    flood = str(uuid.uuid4())
    error = await answer_to(socket, json.dumps({"type": "echo", "say": "one too many", "client_id": flood}))
    assert (error["type"], error["code"], error["client_id"]) == ("error", "rate_limited", flood)
    assert error["retry_after"] >= 1
    assert await socket.receive_nothing()


async def test_a_frame_refused_by_parsing_takes_no_token(socket):
    """The order is parse, then rate limit: what cannot be parsed is answered and costs nothing."""
    for _n in range(5):
        assert (await answer_to(socket, "not json"))["code"] == "bad_json"
    for n in range(3):
        assert await answer_to(socket, json.dumps({"type": "echo", "say": n})) == {"type": "echoed", "said": n}
