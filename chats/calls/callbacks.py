"""Callback requests: when a call is not possible, the visitor leaves a phone number and a time
inside the client's coverage; it becomes a task (open, done, failed) for whoever the client's
callback settings name, reminded by beat shortly before the time (reports.callbacks)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from chats import errors
from chats.calls.models import CallbackHandler, CallbackRequest, CallbackSettings, CallbackStatus
from chats.models import Conversation
from chats.writer import post_system_message
from clients import coverage
from clients.local_times import client_time
from clients.text import checked_phone


def visitor_zone(name: object) -> ZoneInfo:
    """The visitor's timezone as their browser names it (UTC when unknown)."""
    try:
        return ZoneInfo(name) if isinstance(name, str) and 0 < len(name) <= 64 else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def check_preferred_at(value: object, *, conversation: Conversation, zone: ZoneInfo, now: datetime) -> datetime:
    """An aware instant, soon enough, inside the client's coverage; otherwise an error naming a good time."""
    moment = parse_datetime(value) if isinstance(value, str) and len(value) <= 40 else None
    if moment is None or timezone.is_naive(moment):
        raise errors.InvalidInput(_("Choose a date and time for the call."))
    if moment < now or moment > now + timedelta(days=settings.CHAT_CALLBACK_MAX_DAYS_AHEAD):
        raise errors.InvalidInput(
            _("Choose a time within the next %(days)s days.") % {"days": settings.CHAT_CALLBACK_MAX_DAYS_AHEAD}
        )
    client = conversation.client
    if not coverage.is_covered(client, moment):
        opening = coverage.next_opening(client, moment)
        if opening is None:
            raise errors.InvalidInput(_("We cannot call at that time."))
        raise errors.InvalidInput(
            _("We cannot call at that time. The next possible time is %(time)s.")
            % {"time": client_time(opening, zone.key)}
        )  # the visitor's clock, named
    return moment


def request_callback(
    *, conversation_id: int, phone: object, preferred_at: object, visitor_timezone: object
) -> CallbackRequest:
    """The visitor of an open conversation asks to be called back; a system line in the transcript gives
    the time to the visitor, the agent and the client's people alike (`on_both_clocks`)."""
    now = timezone.now()
    zone = visitor_zone(visitor_timezone)
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update().select_related("client").filter(pk=conversation_id).first()
        )
        if conversation is None:
            raise errors.Forbidden()
        if not conversation.is_open:
            raise errors.ConversationClosed()
        phone = checked_phone(phone)
        moment = check_preferred_at(preferred_at, conversation=conversation, zone=zone, now=now)
        if CallbackRequest.objects.filter(conversation=conversation, status=CallbackStatus.OPEN).count() >= 3:
            raise errors.InvalidInput(_("You already asked us to call you back."))
        handled_by = (
            CallbackSettings.objects.filter(client_id=conversation.client_id)
            .values_list("handled_by", flat=True)
            .first()
            or CallbackHandler.AGENCY
        )
        callback = CallbackRequest.objects.create(
            client_id=conversation.client_id,
            conversation=conversation,
            phone=phone,
            preferred_at=moment,
            visitor_timezone=zone.key,
            handled_by=handled_by,
        )
        with translation.override(conversation.language):
            post_system_message(
                conversation,
                _("You asked us to call you back on %(phone)s at %(time)s.")
                % {"phone": phone, "time": on_both_clocks(moment, zone.key, conversation.client.timezone)},
            )
    return callback


def on_both_clocks(moment: datetime, visitor_zone: str, client_zone: str) -> str:
    """The time on the visitor's clock (as a refusal names the next possible time), then on the client's
    when that differs, each naming its zone: "… 5:30 a.m. (America/New_York) / … 11:30 a.m. (Europe/Warsaw)"."""
    clocks = [visitor_zone] if visitor_zone == client_zone else [visitor_zone, client_zone]
    return " / ".join(client_time(moment, zone) for zone in clocks)


def callback_frame(callback: CallbackRequest) -> dict:
    return {
        "type": "callback",
        "conversation": callback.conversation_id,
        "callback": {
            "id": callback.pk,
            "status": callback.status,
            "phone": callback.phone,
            "preferred_at": callback.preferred_at.isoformat(),
        },
    }


def close_callback(*, callback: CallbackRequest, status: str, user) -> bool:
    """Mark an open callback done or failed (portal, admin); False if it was closed already."""
    if status not in (CallbackStatus.DONE, CallbackStatus.FAILED):
        raise errors.InvalidInput(_("A callback is marked done or failed."))
    changed = CallbackRequest.objects.filter(pk=callback.pk, status=CallbackStatus.OPEN).update(
        status=status, closed_at=timezone.now(), closed_by=user
    )
    return bool(changed)


def callbacks_due_for_reminder(now: datetime) -> list[int]:
    """Open callbacks not yet reminded whose time is within CHAT_CALLBACK_REMIND_MINUTES."""
    soon = now + timedelta(minutes=settings.CHAT_CALLBACK_REMIND_MINUTES)
    return list(
        CallbackRequest.objects.filter(
            status=CallbackStatus.OPEN, reminded_at__isnull=True, preferred_at__lte=soon
        ).values_list("pk", flat=True)[:500]
    )


def claim_reminder(*, callback_id: int, now: datetime) -> bool:
    """Take the one reminder of a callback (a conditional UPDATE: two beats never remind twice)."""
    return bool(
        CallbackRequest.objects.filter(pk=callback_id, reminded_at__isnull=True, status=CallbackStatus.OPEN).update(
            reminded_at=now
        )
    )
