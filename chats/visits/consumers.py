"""`/ws/visit/<widget_key>/`: one light socket per page of a client's site (docs/protocol.md, "Live visits").

Cheap by design: no group to join (an invitation reaches the socket by its channel
name), no database write per frame (chats.visits.live batches them), one read per
page (hello) and the client's rules checked in memory on a timer.
"""

from __future__ import annotations

import asyncio
import logging
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from chats import errors
from chats.consumers.base import database_sync_to_async, header
from chats.visits import rules, services
from chats.visits.live import buffer
from chats.visits.mailbox import mailbox
from chats.visits.models import Visit
from chats.visits.protocol import VisitFrame, parse_visit_frame
from clients.widget_access import client_for_widget
from core import limits, log_context, sockets
from core.errors import RelevoError

logger = logging.getLogger(__name__)
RETRY_INVITATION_SECONDS = 15
# Per client, until when this process knows that nobody can answer its chats: while nobody is free,
# one page of the client asks the database every RETRY_INVITATION_SECONDS, not each of its pages.
NOBODY_FREE_UNTIL: dict[int, float] = {}
ASKING: set[int] = set()  # clients for which a page is asking right now


async def save_batch(visits) -> None:
    await database_sync_to_async(services.save_visits)(visits=visits)


buffer.save = save_batch


class VisitConsumer(sockets.FrameSocket):
    """Frames in through core.sockets' template; the types are those of chats.visits.protocol."""

    channel_layer_alias = "visits-use-the-process-mailbox"  # no layer: no channel of its own (chats.visits.mailbox)

    async def connect(self):
        self.visit = None
        self.address = ""
        self.rules: list[rules.Rule] = []
        self.timer: asyncio.TimerHandle | None = None
        self.bucket = limits.TokenBucket(settings.VISIT_FRAMES_PER_MINUTE, settings.VISIT_FRAME_BURST)
        try:
            client = await database_sync_to_async(client_for_widget)(
                self.scope["url_route"]["kwargs"]["widget_key"], header(self.scope, b"origin")
            )
        except RelevoError as error:
            logger.info("visit socket refused: %s", error.code)
            await self.refuse(sockets.refusal_reason(error))
            return
        self.client_id = client.pk
        log_context.bind(client_id=client.pk)
        self.ip = (self.scope.get("client") or ("", 0))[0]
        self.has_places = await database_sync_to_async(services.take_visit_socket_places)(
            client_id=self.client_id, address=self.ip
        )
        if not self.has_places:
            logger.info("visit socket refused: too many open visits")
            await self.refuse("budget")
            return
        try:
            self.address = await mailbox.address_of(self)
            await self.accept()
        except BaseException:
            await self.disconnect(None)  # a handshake that failed gives its places back
            raise

    async def disconnect(self, code):
        self.rules = []  # a rule check still under way must not arm the timer again
        if getattr(self, "has_places", False):
            self.has_places = False
            await database_sync_to_async(services.give_back_visit_socket_places)(
                client_id=self.client_id, address=self.ip
            )
        mailbox.forget(self.address)
        if self.timer is not None:
            self.timer.cancel()
        if self.visit is not None:
            buffer.closed(self.visit)

    def parse(self, raw: str | bytes | None) -> VisitFrame:
        return parse_visit_frame(raw)

    async def frame_ping(self, frame: VisitFrame) -> None:
        await self.send_frame({"type": "pong"})

    async def frame_hello(self, frame: VisitFrame) -> None:
        await self.hello(frame.fields)

    async def frame_cart(self, frame: VisitFrame) -> None:
        visit, fields = self.visit_said_hello(), frame.fields
        visit.cart_value, visit.cart_currency = fields["value"], fields["currency"]
        visit.cart_items = fields["items"]
        self.visit_changed()

    async def frame_identify(self, frame: VisitFrame) -> None:
        services.identify(self.visit_said_hello(), **frame.fields)
        self.visit_changed()

    async def frame_conversion(self, frame: VisitFrame) -> None:
        await database_sync_to_async(services.record_conversion)(visit=self.visit_said_hello(), **frame.fields)
        self.visit_changed()

    async def frame_chat(self, frame: VisitFrame) -> None:
        await database_sync_to_async(services.link_chat)(visit=self.visit_said_hello(), **frame.fields)
        self.visit_changed()

    async def frame_accept(self, frame: VisitFrame) -> None:
        self.visit_said_hello()
        await self.answer(frame.fields["invitation"], accept=frame.type == "accept")
        self.visit_changed()

    frame_decline = frame_accept

    def visit_said_hello(self) -> Visit:
        """The page's visit; every frame but `ping` and `hello` needs one."""
        if self.visit is None:
            raise errors.BadFrame(_("Send “hello” first."))
        return self.visit

    def visit_changed(self) -> None:
        buffer.mark(self.visit)
        self.schedule_check()

    async def hello(self, page: dict) -> None:
        if self.visit is not None:  # a page of a single-page site: same visit, new page
            services.show_page(self.visit, page)
        else:
            opened = await database_sync_to_async(services.open_visit)(
                client_id=self.client_id, key=page["key"], channel_name=self.address, page=page
            )
            self.visit, self.rules = opened.visit, opened.rules
            buffer.opened(self.visit)
            await self.send_frame({"type": "visit", "visit": str(self.visit.key)})
        buffer.mark(self.visit)
        self.schedule_check()

    async def answer(self, invitation_id: int, *, accept: bool) -> None:
        accepted = await database_sync_to_async(services.answer_invitation)(
            visit=self.visit, invitation_id=invitation_id, accept=accept, address=self.ip
        )
        if accepted is not None:
            await self.send_frame(
                {
                    "type": "chat",
                    "conversation": accepted.conversation_id,
                    "token": accepted.token,
                    "status": accepted.status,
                    "queue_position": accepted.queue_position,
                    "agent": {"name": accepted.agent_name} if accepted.agent_name else None,
                }
            )

    # --- Proactive rules: checked in memory, on a timer ---------------------------------

    def schedule_check(self, delay: float | None = None) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if not self.rules or not self.visit.may_be_invited_automatically(timezone.now()):
            return
        if delay is None:
            rule, delay = rules.next_match(self.rules, self.visit, timezone.now())
            delay = 0 if rule else delay
        if delay is not None:
            loop = asyncio.get_running_loop()
            self.timer = loop.call_later(delay, lambda: asyncio.ensure_future(self.check_rules()))

    async def check_rules(self) -> None:
        self.timer = None
        if self.visit is None or not self.visit.may_be_invited_automatically(timezone.now()):
            return
        rule, _wait = rules.next_match(self.rules, self.visit, timezone.now())
        if rule is None:
            self.schedule_check()
            return
        if NOBODY_FREE_UNTIL.get(self.client_id, 0) > time.monotonic():
            self.schedule_check(RETRY_INVITATION_SECONDS)  # another page of this client just asked
            return
        if self.client_id in ASKING:
            self.schedule_check(1)  # another page of this client is asking now: its answer is ours
            return
        ASKING.add(self.client_id)
        try:
            frame = await database_sync_to_async(services.invite_automatically)(visit=self.visit, rule_id=rule.id)
        except Exception:
            logger.exception("automatic invitation failed")
            frame = None
        finally:
            ASKING.discard(self.client_id)
        if frame is None:  # nobody can answer now: look again a little later, once for all its pages
            NOBODY_FREE_UNTIL[self.client_id] = time.monotonic() + RETRY_INVITATION_SECONDS
            self.schedule_check(RETRY_INVITATION_SECONDS)
            return
        await self.send_frame(frame)

    async def visit_invitation(self, event: dict) -> None:
        """An agent invited this visitor (chats.visits.services.invite_by_agent)."""
        if self.visit is not None:
            self.visit.last_invited_at = timezone.now()
        await self.send_frame(event["frame"])
