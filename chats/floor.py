"""`/ws/floor/`: the supervisors' live floor, a full snapshot on connect and on every change.

Changes ring `events.FLOOR_GROUP`; the socket sends at most one snapshot per
DEBOUNCE_SECONDS however many rings arrive, and one every REFRESH_SECONDS anyway
so waiting times keep growing on screen and a lost ring is repaired.
"""
from __future__ import annotations

import asyncio
import json
import time

from channels.generic.websocket import AsyncWebsocketConsumer

from agency import roles
from chats import events
from chats.consumers import database_sync_to_async, is_console_origin
from chats.selectors import floor_snapshot

DEBOUNCE_SECONDS = 0.5
REFRESH_SECONDS = 10


def may_watch_floor(user) -> bool:
    """Agency admins, supervisors and superusers; nobody on the client side, no plain agent."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or roles.has_role(user, *roles.AGENCY_WIDE_ROLES)


class FloorConsumer(AsyncWebsocketConsumer):
    """Sends `{"type": "floor", …snapshot}` frames; expects nothing from the page."""

    async def connect(self):
        self.pending: asyncio.Task | None = None
        self.refresher: asyncio.Task | None = None
        self.last_sent = 0.0
        if not is_console_origin(self.scope):
            await self.close()
            return
        if not await database_sync_to_async(may_watch_floor)(self.scope.get("user")):
            await self.close()
            return
        await self.channel_layer.group_add(events.FLOOR_GROUP, self.channel_name)
        await self.accept()
        await self.send_snapshot()
        self.refresher = asyncio.create_task(self.refresh_periodically())

    async def disconnect(self, code):
        for task in (self.pending, self.refresher):
            if task is not None:
                task.cancel()
        await self.channel_layer.group_discard(events.FLOOR_GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """The floor is read-only: frames from the page are ignored."""

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

    async def send_snapshot(self) -> None:
        self.last_sent = time.monotonic()
        snapshot = await database_sync_to_async(floor_snapshot)()
        await self.send(text_data=json.dumps({"type": "floor", **snapshot}))
