"""`/ws/floor/`: the supervisors' live floor, a full snapshot on connect and on every change.

Changes ring `events.FLOOR_GROUP`; the socket sends at most one snapshot per
DEBOUNCE_SECONDS however many rings arrive, and one every REFRESH_SECONDS anyway
so waiting times keep growing on screen and a lost ring is repaired.
"""

from __future__ import annotations

import asyncio
import json
import time

from agency import sessions
from chats import events
from chats.consumers.base import database_sync_to_async, is_console_origin
from chats.selectors import floor_snapshot
from clients.selectors import is_agency_wide
from core import sockets
from supervision.monitoring import SupervisionSocket

DEBOUNCE_SECONDS = 0.5
REFRESH_SECONDS = 10


class FloorConsumer(sessions.LoginBoundSocket, SupervisionSocket, sockets.FrameSocket):
    """Sends `{"type": "floor", …snapshot}` frames to agency-wide users only; the page may monitor,
    whisper and take over chats (supervision.monitoring). It lives on its login and on the
    user staying agency-wide (agency.sessions)."""

    async def connect(self):
        self.start_supervision()
        self.pending: asyncio.Task | None = None
        self.refresher: asyncio.Task | None = None
        self.last_sent = 0.0
        if not is_console_origin(self.scope):
            await self.close()
            return
        if not await database_sync_to_async(is_agency_wide)(self.scope.get("user")):
            await self.close()
            return
        await self.channel_layer.group_add(events.FLOOR_GROUP, self.channel_name)
        await self.follow_login(self.scope["user"].pk)
        await self.accept()
        await self.send_snapshot()
        self.refresher = asyncio.create_task(self.refresh_periodically())

    async def disconnect(self, code):
        for task in (self.pending, self.refresher):
            if task is not None:
                task.cancel()
        await self.stop_all_monitoring()
        await self.channel_layer.group_discard(events.FLOOR_GROUP, self.channel_name)
        await self.stop_following_login()

    def may_keep_login(self, user) -> bool:
        return is_agency_wide(user)

    async def floor_changed(self, event: dict) -> None:
        if self.pending is not None and not self.pending.done():
            return
        delay = max(0.0, self.last_sent + DEBOUNCE_SECONDS - time.monotonic())
        self.pending = asyncio.create_task(self.send_snapshot_after(delay))

    async def send_snapshot_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        await self.send_snapshot()

    async def refresh_periodically(self) -> None:
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            await self.send_snapshot()

    async def end_login(self) -> None:
        """The login ended (logout, password, deactivation, role): no more snapshots, close (4401)."""
        for task in (self.pending, self.refresher):
            if task is not None:
                task.cancel()
        await super().end_login()

    async def send_snapshot(self) -> None:
        self.last_sent = time.monotonic()
        snapshot = await database_sync_to_async(floor_snapshot)()
        await sockets.send_text(self, json.dumps({"type": "floor", **snapshot}))
