"""A visit socket's state in memory, and the per-process buffer that writes visits in batches.

A heartbeat writes nothing. Every VISIT_FLUSH_SECONDS the buffer upserts, in one
statement, the visits that changed (a page, a cart, a name, a socket gone) and the open
ones whose `last_seen_at` is older than VISIT_LAST_SEEN_EVERY_SECONDS.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(slots=True, eq=False)
class LiveVisit:
    client_id: int
    key: uuid.UUID
    channel_name: str
    started_at: datetime
    last_seen_at: datetime
    page_started_at: datetime
    page_url: str = ""
    page_title: str = ""
    referrer: str = ""
    pages_seen: int = 1
    is_returning: bool = False
    language: str = ""
    cart_value: Decimal | None = None
    cart_currency: str = ""
    cart_items: int = 0
    name: str = ""
    email: str = ""
    conversation_id: int | None = None
    is_live: bool = True
    was_auto_invited: bool = False
    last_invited_at: datetime | None = None
    written_at: datetime | None = None

    def may_be_invited_automatically(self, now: datetime) -> bool:
        """At most one automatic invitation per visit, none while chatting, and a cool-down after any."""
        if self.was_auto_invited or self.conversation_id is not None:
            return False
        cooldown = timedelta(seconds=settings.VISIT_INVITATION_COOLDOWN_SECONDS)
        return self.last_invited_at is None or now - self.last_invited_at >= cooldown


class VisitBuffer:
    """This process's open visits and the changed ones waiting for the next batch."""

    def __init__(self):
        self.open: dict[int, LiveVisit] = {}  # by id(): every open socket's visit
        self.changed: dict[tuple[int, uuid.UUID], LiveVisit] = {}
        self.flusher: asyncio.Task | None = None
        self.save = None  # set by chats.visits.consumers: an async callable taking a list of LiveVisit

    def opened(self, visit: LiveVisit) -> None:
        self.open[id(visit)] = visit
        self.mark(visit)

    def closed(self, visit: LiveVisit) -> None:
        self.open.pop(id(visit), None)
        visit.is_live = False
        visit.last_seen_at = timezone.now()
        self.mark(visit)

    def mark(self, visit: LiveVisit) -> None:
        self.changed[(visit.client_id, visit.key)] = visit
        self.start()

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.flusher is None or self.flusher.done() or self.flusher.get_loop() is not loop:
            self.flusher = loop.create_task(self.flush_periodically())

    async def flush_periodically(self) -> None:
        while self.open or self.changed:
            await asyncio.sleep(settings.VISIT_FLUSH_SECONDS)
            await self.flush()

    def due(self) -> list[LiveVisit]:
        """The changed visits, then open ones whose last-seen time is old, up to VISIT_MAX_BATCH (the
        rest wait for the next batch, so 10,000 sockets opened together are not all rewritten at once)."""
        now = timezone.now()
        stale = now - timedelta(seconds=settings.VISIT_LAST_SEEN_EVERY_SECONDS)
        room = settings.VISIT_MAX_BATCH - len(self.changed)
        for visit in self.open.values():
            if room <= 0:
                break
            if (visit.written_at is None or visit.written_at < stale) and (
                visit.client_id,
                visit.key,
            ) not in self.changed:
                visit.last_seen_at = now
                self.changed[(visit.client_id, visit.key)] = visit
                room -= 1
        batch = list(self.changed.values())[: settings.VISIT_MAX_BATCH]
        for visit in batch:
            del self.changed[(visit.client_id, visit.key)]
        return batch

    async def flush(self) -> int:
        """Write what is due now, in one batch; on a failure keep it for the next one."""
        batch = self.due()
        if not batch:
            return 0
        try:
            await self.save(batch)
        except Exception:
            logger.exception("could not save %s visits; retrying with the next batch", len(batch))
            for visit in batch:
                self.changed.setdefault((visit.client_id, visit.key), visit)
            return 0
        return len(batch)


buffer = VisitBuffer()
