"""core.sockets.send_text: a frame to a socket the client already closed is a normal goodbye."""

import logging

import pytest

from core.sockets import send_text


class Consumer:
    def __init__(self, error: Exception | None = None):
        self.error = error
        self.frames: list[str] = []

    async def send(self, text_data: str) -> None:
        if self.error:
            raise self.error
        self.frames.append(text_data)


async def test_a_frame_is_sent():
    consumer = Consumer()
    assert await send_text(consumer, '{"type": "status"}') is True
    assert consumer.frames == ['{"type": "status"}']


async def test_a_socket_the_client_closed_is_false_and_only_a_debug_line(caplog):
    with caplog.at_level(logging.DEBUG, logger="core.sockets"):
        assert await send_text(Consumer(ConnectionResetError()), "{}") is False
    assert [record.levelno for record in caplog.records] == [logging.DEBUG]


async def test_any_other_error_is_not_swallowed():
    with pytest.raises(RuntimeError):
        await send_text(Consumer(RuntimeError("a bug")), "{}")
