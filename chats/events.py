"""Doorbells on the channel layer, rung only after the transaction commits.

The layer delivers at most once, so an event is a hint: every receiving socket
checks seqs and fills gaps from the database (see chats.consumers). Ringing never
raises: a doorbell the layer refuses (Redis down) is logged and kept in a small
per-process list, rung again as soon as the layer answers.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from contextvars import ContextVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from chats import signals
from chats.models import Conversation
from core import metrics

logger = logging.getLogger(__name__)


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


class UnrungDoorbells:
    """Doorbells the layer refused, rung again with a short backoff until it answers.

    Bounded: the latest event per (group, type, conversation) is enough, since the
    receiver fills any gap from the database; typing hints are stale by then and dropped.
    Once the layer answers, each is rung a few more times half a second apart: a
    receiving server may not have subscribed again yet (the layer is at most once)."""

    LIMIT = 1000
    RINGS_AFTER_RECOVERY = 4
    FIRST_DELAY, MAX_DELAY, ECHO_DELAY = 0.1, 1.0, 0.5

    def __init__(self):
        self.pending: OrderedDict[tuple, list] = OrderedDict()
        self.ringer: asyncio.Task | None = None

    def keep(self, layer, group: str, event: dict) -> None:
        if event.get("type") == "chat.typing":
            return
        key = (group, event.get("type"), event.get("conversation"))
        self.pending.pop(key, None)
        self.pending[key] = [group, event, self.RINGS_AFTER_RECOVERY]
        while len(self.pending) > self.LIMIT:
            self.pending.popitem(last=False)
        self.start_ringer(layer)

    def start_ringer(self, layer) -> None:
        if self.pending and (self.ringer is None or self.ringer.done()):
            self.ringer = asyncio.get_running_loop().create_task(self.ring_until_answered(layer))

    async def ring_until_answered(self, layer) -> None:
        delay = self.FIRST_DELAY
        while self.pending:
            await asyncio.sleep(delay)
            try:
                for key, entry in list(self.pending.items()):
                    group, event, _ = entry
                    await layer.group_send(group, event)
                    entry[2] -= 1
                    if entry[2] <= 0 and self.pending.get(key) is entry:
                        del self.pending[key]
            except Exception:  # still down: the layer's errors vary with its backend
                delay = min(delay * 2, self.MAX_DELAY)
            else:
                delay = self.ECHO_DELAY


unrung_doorbells = UnrungDoorbells()


async def ring(layer, group: str, event: dict) -> None:
    """Send a doorbell, never raising: if the layer is down the ring is delayed, never
    the message (and at worst the other side fills the gap on its next heartbeat)."""
    try:
        await layer.group_send(group, event)
    except Exception as error:  # the layer's errors vary with its backend
        logger.warning("doorbell to %s not rung, retrying: %r", group, error)
        unrung_doorbells.keep(layer, group, event)
    else:
        unrung_doorbells.start_ringer(layer)


async def ring_all(layer, doorbells: list[tuple[str, dict]]) -> None:
    """Ring several (group, event) doorbells, in order, never raising: in one Redis round
    trip where the layer can (core.channel_layer's group_send_many), else one by one."""
    send_many = getattr(layer, "group_send_many", None)
    if send_many is None or len(doorbells) < 2:
        for group, event in doorbells:
            await ring(layer, group, event)
        return
    try:
        await send_many(doorbells)
    except Exception as error:  # the layer's errors vary with its backend
        logger.warning("%s doorbells not rung, retrying: %r", len(doorbells), error)
        for group, event in doorbells:  # some may have gone: a doorbell rung twice is harmless
            unrung_doorbells.keep(layer, group, event)
    else:
        unrung_doorbells.start_ringer(layer)


def send_now(group: str, event: dict) -> None:
    """Ring a doorbell from sync code (services, views, tasks); never raises, since it
    runs after the commit: a caller must not report failure for what was saved."""
    collected = outbox.get()
    if collected is not None:
        collected.append((group, event))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(ring)(layer, group, event)
    except Exception:
        logger.exception("doorbell to %s lost", group)


def send_on_commit(group: str, event: dict) -> None:
    """Send `event` to `group` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_now(group, event), robust=True)


def announce_message(conversation_id: int, frame: dict) -> None:
    """Once the message commits: count it stored (core.metrics) and ring its doorbell."""
    event = {"type": "chat.message", "conversation": conversation_id, "seq": frame["seq"], "frame": frame}

    def stored() -> None:
        metrics.MESSAGES_STORED.labels(sender=frame["sender"]).inc()
        send_now(conversation_group(conversation_id), event)

    transaction.on_commit(stored, robust=True)


def announce_redacted(conversation_id: int, frame: dict, *, internal: bool = False) -> None:
    """A stored message was masked after the fact (a card number split over messages); an internal
    note's new text is for agents' sockets only."""
    send_on_commit(
        conversation_group(conversation_id),
        {
            "type": "chat.redacted",
            "conversation": conversation_id,
            "seq": frame["seq"],
            "frame": frame,
            "internal": internal,
        },
    )


def announce_status(conversation_id: int, frame: dict, *, floor: bool = True) -> None:
    """The chat's new status to its sockets and (unless a batch rings it once) the floor."""
    send_on_commit(
        conversation_group(conversation_id),
        {"type": "chat.status", "conversation": conversation_id, "frame": frame},
    )
    if floor:
        send_on_commit(FLOOR_GROUP, {"type": "floor.changed"})


def announce_assigned(agent_id: int, conversation_id: int) -> None:
    send_on_commit(agent_group(agent_id), {"type": "chat.assigned", "conversation": conversation_id})
    send_on_commit(FLOOR_GROUP, {"type": "floor.changed"})


def announce_presence(agent_id: int, presence: str) -> None:
    send_on_commit(agent_group(agent_id), {"type": "agent.presence", "presence": presence})
    send_on_commit(FLOOR_GROUP, {"type": "floor.changed"})


def announce_closed(conversation_id: int) -> None:
    """chats.signals.conversation_closed, once the close commits (its receivers: chats and reports)."""
    signals.conversation_closed.send_on_commit(sender=Conversation, conversation_id=conversation_id)
