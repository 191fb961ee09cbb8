"""Webhooks' outbox: one row per event and endpoint, sent by core.outbound's engine over the webhook transport.

The engine claims a row with a conditional UPDATE, keeps its lease while sending,
retries transient failures with backoff (WEBHOOK_MAX_ATTEMPTS) and marks only under
its own claim. This module adds the domain part: the request a row becomes, the log
of every attempt, and the endpoint's health: one that has failed for
WEBHOOK_DISABLE_AFTER_SECONDS with no success between is disabled, its owners emailed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clients.models import Representative, RepresentativeRole
from clients.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from core.outbound.outbox import Outbox
from core.outbound.transports import DeliveryError, EmailTransport, OutboundEmail, OutboundWebhook, WebhookResponse

logger = logging.getLogger(__name__)


def compose(group: list[WebhookDelivery]) -> OutboundWebhook:
    """The signed request of one row; a disabled or deleted endpoint's rows fail for good."""
    delivery = group[0]
    endpoint = delivery.endpoint
    if not endpoint.is_enabled:
        raise DeliveryError("the endpoint is disabled", is_permanent=True)
    return OutboundWebhook(
        url=endpoint.url,
        secret=endpoint.secret,
        body=delivery.body.encode(),
        event_id=str(delivery.event_id),
        event_type=delivery.event_type,
    )


def record_attempt(group: list[WebhookDelivery], result: WebhookResponse | None, error: DeliveryError | None) -> None:
    """Log the attempt; a success clears the endpoint's failing streak, a failure may end it."""
    delivery = group[0]
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        is_success=error is None,
        status_code=result.status_code if result else getattr(error, "status_code", None),
        error=str(error)[:2000] if error else "",
    )
    endpoints = WebhookEndpoint.objects.filter(pk=delivery.endpoint_id)
    if error is None:
        endpoints.filter(failing_since__isnull=False).update(failing_since=None)
        return
    endpoints.filter(failing_since__isnull=True).update(failing_since=now)
    disable_if_failing_for_long(endpoint_id=delivery.endpoint_id, now=now)


def disable_if_failing_for_long(*, endpoint_id: int, now: datetime) -> bool:
    """Disable an endpoint that has failed since WEBHOOK_DISABLE_AFTER_SECONDS ago; True (once) if it did."""
    cutoff = now - timedelta(seconds=settings.WEBHOOK_DISABLE_AFTER_SECONDS)
    with transaction.atomic():
        disabled = WebhookEndpoint.objects.filter(pk=endpoint_id, is_enabled=True, failing_since__lte=cutoff).update(
            is_enabled=False, disabled_at=now
        )
        if disabled:
            logger.warning("webhook endpoint %s failed since before %s and is disabled", endpoint_id, cutoff)
            transaction.on_commit(lambda: notify_owners_of_disabled_endpoint.delay(endpoint_id), robust=True)
    return bool(disabled)


OUTBOX = Outbox(
    model=WebhookDelivery,
    compose=compose,
    related=("endpoint",),
    after_attempt=record_attempt,
    max_attempts_setting="WEBHOOK_MAX_ATTEMPTS",
)


@shared_task(name="clients.tasks.send_webhook_deliveries")
def send_webhook_deliveries(delivery_ids: list[int]) -> int:
    """Send these rows (those still due); defined beside the outbox, registered through clients.tasks."""
    return OUTBOX.send_rollback_unsafe(delivery_ids)


@shared_task(name="clients.tasks.send_due_webhook_deliveries")
def send_due_webhook_deliveries() -> int:
    """The sweep: retries whose time has come, and rows a lost worker left in "sending"."""
    return OUTBOX.send_due_rollback_unsafe()


def send_on_commit(delivery_ids: Iterable[int]) -> None:
    """Ask a worker to send these rows once the transaction that queued them commits."""
    ids = list(delivery_ids)
    if ids:
        transaction.on_commit(lambda: send_webhook_deliveries.delay(ids), robust=True)


def endpoint_owners(client_id: int) -> list[Representative]:
    return list(
        Representative.objects.filter(client_id=client_id, role=RepresentativeRole.OWNER)
        .exclude(user__email="")
        .select_related("user", "client")
        .order_by("pk")
    )


@shared_task(name="clients.tasks.notify_owners_of_disabled_endpoint")
def notify_owners_of_disabled_endpoint(endpoint_id: int) -> int:
    """Email the client's owners that an endpoint was disabled after a day of failures; how many were emailed."""
    endpoint = WebhookEndpoint.objects.select_related("client").filter(pk=endpoint_id, is_enabled=False).first()
    if endpoint is None:
        return 0
    sent = 0
    for owner in endpoint_owners(endpoint.client_id):
        context = {"endpoint": endpoint, "client": endpoint.client, "base_url": settings.RELEVO_BASE_URL}
        with translation.override(owner.language):
            email = OutboundEmail(
                to=owner.user.email,
                subject=" ".join(render_to_string("clients/email/webhook_disabled_subject.txt", context).split()),
                text=render_to_string("clients/email/webhook_disabled.txt", context),
                html=render_to_string("clients/email/webhook_disabled.html", context),
                message_id=f"<relevo.webhook-disabled.{endpoint.pk}.{int(endpoint.disabled_at.timestamp())}"
                f".{owner.user_id}@{settings.RELEVO_MESSAGE_ID_DOMAIN}>",
            )
        try:
            EmailTransport().send(email)
            sent += 1
        except DeliveryError:
            logger.exception("could not email %s that webhook endpoint %s is disabled", owner.user.email, endpoint.pk)
    return sent
