"""Leads (offline messages, and the leads of chats: chats.leads) go out through the delivery engine
like reports: one row per representative who receives emails, with the same claim, backoff and
stable Message-ID.

A client with nobody who receives emails does not lose the lead silently: it is flagged
undeliverable and every agency admin is emailed about it, once per lead."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agency import roles
from chats.leads.models import Lead
from clients import services as clients_services
from clients.models import OfflineMessage
from reports.delivery import deliveries
from reports.models import DeliveryKind, DeliveryStatus

logger = logging.getLogger(__name__)


def agency_admins():
    """Who hears about leads nobody receives: active superusers and staff in the Agency admin group."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(is_staff=True, groups__name=roles.AGENCY_ADMIN))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def deliver_offline_message(*, offline_message_id: int) -> list[int]:
    """Queue the lead's deliveries the first time and ring the sender for rows still queued.

    Idempotent: a rerun finds the rows and queues nothing new; a lead emailed before
    leads were deliveries (`notified_at` set, no rows) is left alone. Returns the rows rung."""
    with transaction.atomic():
        lead = OfflineMessage.objects.select_for_update().filter(pk=offline_message_id).first()
        if lead is None:
            return []
        if lead.notified_at is None and not lead.deliveries.exists():
            queue_offline_message_deliveries(lead)
        due = list(lead.deliveries.filter(status=DeliveryStatus.QUEUED).values_list("pk", flat=True))
        deliveries.send_on_commit(due)
    return due


def queue_offline_message_deliveries(lead: OfflineMessage) -> None:
    if not queue_lead_deliveries_to_people_of(lead.client_id, key=f"lead:{lead.pk}", offline_message=lead):
        clients_services.flag_offline_message_undeliverable(offline_message_id=lead.pk)


def queue_lead_deliveries_to_people_of(client_id: int, *, key: str, **about) -> bool:
    """The one rule for who hears of a lead: a LEAD row per representative who receives emails
    (clients.services.offline_message_recipients); when there is none, an UNDELIVERABLE_LEAD row
    per agency admin. `about` names the lead (offline_message= or lead=). True if the client's
    people were reached."""
    recipients = clients_services.offline_message_recipients(client_id)
    for rep in recipients:
        deliveries.queue_delivery(
            key=f"{key}:user:{rep.user_id}",
            kind=DeliveryKind.LEAD,
            client_id=client_id,
            address=rep.user.email,
            language=rep.language,
            user=rep.user,
            **about,
        )
    if recipients:
        return True
    admins = list(agency_admins())
    if not admins:
        logger.error(
            "%s of client %s reaches nobody: no representative receives emails "
            "and no agency admin has an email address",
            key,
            client_id,
        )
    for admin in admins:
        deliveries.queue_delivery(
            key=f"undeliverable_{key}:user:{admin.pk}",
            kind=DeliveryKind.UNDELIVERABLE_LEAD,
            client_id=client_id,
            address=admin.email,
            language=settings.LANGUAGE_CODE,
            user=admin,
            **about,
        )
    return False


def deliver_missing_offline_messages(*, settle_seconds: int = 120, lookback_days: int = 2) -> int:
    """Safety net: deliver recent leads whose after-commit announcement was lost (the broker was down)."""
    now = timezone.now()
    missing = OfflineMessage.objects.filter(
        created_at__range=(now - timedelta(days=lookback_days), now - timedelta(seconds=settle_seconds)),
        notified_at__isnull=True,
        is_undeliverable=False,
        deliveries__isnull=True,
    ).values_list("pk", flat=True)
    return sum(bool(deliver_offline_message(offline_message_id=pk)) for pk in list(missing))


def deliver_lead(*, lead_id: int) -> list[int]:
    """A lead from a chat goes to the same people as an offline message (one rule:
    clients.services.offline_message_recipients), or to the agency admins when nobody there
    receives emails. An offline form's lead is emailed as its offline message, never twice.
    Idempotent, as `deliver_offline_message`. Returns the rows rung."""
    with transaction.atomic():
        lead = Lead.objects.select_for_update().filter(pk=lead_id).first()
        if lead is None or lead.offline_message_id:
            return []
        if not lead.deliveries.exists():
            queue_lead_deliveries(lead)
        due = list(lead.deliveries.filter(status=DeliveryStatus.QUEUED).values_list("pk", flat=True))
        deliveries.send_on_commit(due)
    return due


def queue_lead_deliveries(lead: Lead) -> None:
    queue_lead_deliveries_to_people_of(lead.client_id, key=f"chat_lead:{lead.pk}", lead=lead)
