"""Helpers of the visit socket tests: a page's socket, its hello, flushing the batch."""

from __future__ import annotations

from channels.testing import WebsocketCommunicator

from agency.asgi import application
from chats.visits.live import buffer
from conftest import receive_until

SHOP = "https://shop.example"


def visit_communicator(widget_key: str, origin: str | None = SHOP) -> WebsocketCommunicator:
    headers = [(b"origin", origin.encode())] if origin else []
    return WebsocketCommunicator(application, f"/ws/visit/{widget_key}/", headers=headers)


def hello(**fields) -> dict:
    return {
        "type": "hello",
        "url": f"{SHOP}/cart",
        "title": "Your cart",
        "referrer": "",
        "language": "en",
        "returning": False,
        "pages_seen": 1,
        **fields,
    }


async def open_visit(widget_key: str, **fields) -> tuple[WebsocketCommunicator, str]:
    """A connected page that said hello; returns the socket and the visit key."""
    communicator = visit_communicator(widget_key)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    await communicator.send_json_to(hello(**fields))
    frame = await receive_until(communicator, lambda f: f["type"] == "visit")
    return communicator, frame["visit"]


async def flush() -> int:
    """Write the pending batch now (the server does it every VISIT_FLUSH_SECONDS)."""
    return await buffer.flush()
