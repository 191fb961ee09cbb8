"""Group commit: the messages that the sockets of one process post while a commit is
under way are stored together, in one transaction, by one database thread.

A batch is `writer.write_messages`: its plain messages take one INSERT and one
UPDATE of their chats' seqs for all of them, anything else goes through
`writer.write_message` (seq, client_id check, masking, refusals) in the same
transaction; a batch saves a thread hop, statements and a WAL flush per message.
Nothing waits for a batch to fill: while fewer than CHAT_COMMITS_AT_ONCE batches are
under way a message is stored at once, so batching only happens under load. Acks
and doorbells (one Redis round trip per batch) go out only after the batch commits.
Conversations are locked in id order, so two batches (of one process or two) never
wait on each other in a circle; a batch that holds a retry (a client_id stored
before) or fails anyway is stored again message by message.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass, field

from channels.db import DatabaseSyncToAsync
from channels.layers import get_channel_layer
from django.conf import settings

from chats import events, writer
from chats.message_store import DuplicateClientId
from chats.writer import MessageRequest, PostedMessage
from core import metrics

logger = logging.getLogger(__name__)

MAX_BATCH = 100  # messages in one transaction: bounds how long its conversations stay locked


@dataclass(slots=True)
class PendingMessage:
    request: MessageRequest
    result: asyncio.Future
    outcome: PostedMessage | BaseException | None = field(default=None)
    handed_at: float = field(default_factory=time.perf_counter)  # for relevo_message_store_seconds


def store_batch(batch: list[PendingMessage]) -> None:
    """Post every message of `batch` in one transaction (writer.write_messages); a
    RelevoError fails only its message, any other error the whole batch and is raised."""
    outcomes = writer.write_messages([pending.request for pending in batch])
    for pending, outcome in zip(batch, outcomes, strict=True):
        pending.outcome = outcome


def store_one_by_one(batch: list[PendingMessage]) -> None:
    for pending in batch:
        try:
            pending.outcome = writer.write_message(pending.request)
        except Exception as error:
            pending.outcome = error


def store(batch: list[PendingMessage], collected: list) -> None:
    """Runs in a database thread; the doorbells rung after commit land in `collected`."""
    token = events.outbox.set(collected)
    try:
        if len(batch) == 1:  # a quiet process: write_message's own transaction, no savepoint in an outer one
            store_one_by_one(batch)
            return
        try:
            store_batch(batch)
        except DuplicateClientId:  # a retry of a stored message: write_message answers it with its seq
            store_one_by_one(batch)
        except Exception:
            logger.warning("a batch of %s messages failed: storing them one by one", len(batch), exc_info=True)
            store_one_by_one(batch)
    finally:
        events.outbox.reset(token)


class GroupCommit:
    """The per-event-loop queue of messages waiting for the next commit."""

    def __init__(self):
        self.waiting: list[PendingMessage] = []
        self.committers: set[asyncio.Task] = set()

    async def post_message(self, **fields) -> PostedMessage:
        """`writer.write_message(MessageRequest(**fields))`, stored with whatever else is waiting;
        raises as it does."""
        pending = PendingMessage(request=MessageRequest(**fields), result=asyncio.get_running_loop().create_future())
        self.waiting.append(pending)
        if len(self.committers) < settings.CHAT_COMMITS_AT_ONCE:
            self.committers.add(asyncio.create_task(self.commit_waiting()))
        return await pending.result

    async def commit_waiting(self) -> None:
        try:
            await self.commit_until_none_wait()
        finally:
            # At once, not in a done callback: one scheduled after the task ends would let a
            # message come in between, find no free committer, and wait for ever.
            self.committers.discard(asyncio.current_task())

    async def commit_until_none_wait(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
            metrics.GROUP_COMMIT_BATCH_SIZE.observe(len(batch))
            collected: list[tuple[str, dict]] = []
            try:
                await DatabaseSyncToAsync(store, thread_sensitive=False)(batch, collected)
            except Exception as error:
                for pending in batch:
                    pending.outcome = error
            except BaseException:
                for pending in batch:
                    pending.result.cancel()
                raise
            for pending in batch:
                if pending.result.done():
                    continue  # its socket went away; the message is stored all the same
                if isinstance(pending.outcome, BaseException):
                    pending.result.set_exception(pending.outcome)
                else:
                    metrics.MESSAGE_STORE_SECONDS.observe(time.perf_counter() - pending.handed_at)
                    pending.result.set_result(pending.outcome)
            await events.ring_all(get_channel_layer(), collected)


group_commits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupCommit] = weakref.WeakKeyDictionary()


async def post_message(**fields) -> PostedMessage:
    """Post a message through this event loop's group commit."""
    loop = asyncio.get_running_loop()
    if loop not in group_commits:
        group_commits[loop] = GroupCommit()
    return await group_commits[loop].post_message(**fields)
