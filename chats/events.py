"""Doorbells on the channel layer, rung only after the transaction commits.

The layer delivers at most once, so an event is a hint: every receiving socket
checks seqs and fills gaps from the database (see chats.consumers).
"""
from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def conversation_group(conversation_id: int) -> str:
    """Visitor sockets of a conversation and the sockets of its agent."""
    return f"conversation.{conversation_id}"


def agent_group(agent_id: int) -> str:
    """Every console tab of one agent."""
    return f"agent.{agent_id}"


FLOOR_GROUP = "floor"


# Set by an async caller (a consumer) that will send the events itself once the
# sync service returns, so a worker thread never blocks waiting on the event loop.
outbox: ContextVar[list[tuple[str, dict]] | None] = ContextVar("relevo_event_outbox", default=None)


def send_now(group: str, event: dict) -> None:
    collected = outbox.get()
    if collected is not None:
        collected.append((group, event))
        return
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def send_on_commit(group: str, event: dict) -> None:
    """Send `event` to `group` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_now(group, event), robust=True)


def announce_message(conversation_id: int, frame: dict) -> None:
    send_on_commit(
        conversation_group(conversation_id),
        {"type": "chat.message", "conversation": conversation_id, "seq": frame["seq"], "frame": frame},
    )


def announce_redacted(conversation_id: int, frame: dict) -> None:
    """A stored message was masked after the fact (a card number split over messages)."""
    send_on_commit(
        conversation_group(conversation_id),
        {"type": "chat.redacted", "conversation": conversation_id, "seq": frame["seq"], "frame": frame},
    )


def announce_status(conversation_id: int, frame: dict) -> None:
    send_on_commit(
        conversation_group(conversation_id),
        {"type": "chat.status", "conversation": conversation_id, "frame": frame},
    )
    send_on_commit(FLOOR_GROUP, {"type": "floor.changed"})


def announce_assigned(agent_id: int, conversation_id: int) -> None:
    send_on_commit(agent_group(agent_id), {"type": "chat.assigned", "conversation": conversation_id})
    send_on_commit(FLOOR_GROUP, {"type": "floor.changed"})


def announce_presence(agent_id: int, presence: str) -> None:
    send_on_commit(agent_group(agent_id), {"type": "agent.presence", "presence": presence})
    send_on_commit(FLOOR_GROUP, {"type": "floor.changed"})


# Called with a conversation id after a close commits; other apps (reports) register
# here from their AppConfig.ready(), so chats never imports them.
conversation_closed_hooks: list[Callable[[int], None]] = []


def announce_closed(conversation_id: int) -> None:
    for hook in conversation_closed_hooks:
        transaction.on_commit(partial(hook, conversation_id), robust=True)
