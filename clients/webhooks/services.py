"""Writes of webhooks: emitting an event, an endpoint's settings, redelivering.

Every edge (portal, admin, API) calls these, so the rules are the same everywhere."""

from __future__ import annotations

import ipaddress
import json
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.errors import InvalidInput
from clients.models import Client
from clients.models.webhooks import (
    PAYLOAD_VERSION,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
    new_webhook_secret,
)
from clients.webhooks import delivery
from core.outbound import http_guard
from core.outbound.outbox import OutboxStatus


def event_envelope(*, event_id: uuid.UUID, event_type: str, client_id: int, data: dict) -> dict:
    """What every event looks like (docs/webhooks.md)."""
    return {
        "id": str(event_id),
        "type": event_type,
        "version": PAYLOAD_VERSION,
        "created_at": timezone.now().isoformat(),
        "client_id": client_id,
        "data": data,
    }


def emit_event(client_id: int, event_type: str, data: dict | Callable[[], dict]) -> list[int]:
    """Queue `event_type` for every enabled endpoint of the client subscribed to it: one row each.

    Writes in the caller's transaction (a rollback erases the event too); the rows are
    sent after commit. `data` may be a function, called only when someone listens.
    Returns the rows' ids (none when nobody listens)."""
    if event_type not in WebhookEventType.values:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(client_id=client_id, is_enabled=True)
        if endpoint.is_subscribed_to(event_type)
    ]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    body = event_body(
        event_envelope(
            event_id=event_id, event_type=event_type, client_id=client_id, data=data() if callable(data) else data
        )
    )
    with transaction.atomic():
        rows = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                key=f"webhook:{event_id}:{endpoint.pk}",
                channel="webhook",
                address=endpoint.url,
                endpoint=endpoint,
                client_id=client_id,
                event_id=event_id,
                event_type=event_type,
                body=body,
            )
            for endpoint in endpoints
        )
        ids = [row.pk for row in rows]
        delivery.send_on_commit(ids)
    return ids


def event_body(envelope: dict) -> str:
    """The exact bytes every endpoint gets and the signature covers: compact JSON, UTF-8 as it is."""
    return json.dumps(envelope, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def allows_plain_http() -> bool:
    """http:// only where private addresses are allowed too (WEBHOOK_ALLOW_PRIVATE_ADDRESSES: a receiver
    on this machine or network while testing, never in production); everywhere else https://, since
    events carry visitors' names and messages and the signature does not hide them."""
    return settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES


def endpoint_url_rule() -> str:
    """The rule of check_endpoint_url in words, for the forms' help text."""
    if allows_plain_http():
        return _(
            "An https:// address of your own systems (http:// too: this server allows local addresses for testing)."
        )
    return _("An https:// address of your own systems.")


def check_endpoint_url(url: str) -> None:
    """An https URL with a host (http only as allows_plain_http says); a literal private, loopback or
    link-local address is refused at once (names are checked again after DNS at every attempt)."""
    try:
        target = http_guard.parse_target(url)
    except ValueError:
        raise ValidationError({"url": _("Enter an http:// or https:// URL with a host name.")}) from None
    try:
        ipaddress.ip_address(target.host)
    except ValueError:
        pass
    else:
        if not (settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES or http_guard.is_public_address(target.host)):
            raise ValidationError({"url": _("Webhooks may not be sent to private, loopback or link-local addresses.")})
    if target.scheme != "https" and not allows_plain_http():
        raise ValidationError({"url": _("Use an https:// address: events carry visitors' data.")})


def check_events(events: Iterable[str]) -> list[str]:
    events = list(events)
    unknown = [event for event in events if event not in WebhookEventType.values]
    if unknown or not events:
        raise ValidationError(
            {"events": _("Choose one or more of: %(types)s.") % {"types": ", ".join(WebhookEventType.values)}}
        )
    return sorted(set(events), key=WebhookEventType.values.index)


def save_endpoint(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Store a new or changed endpoint; raises ValidationError field by field.

    Enabling it again starts a new health record (the failing streak is forgotten)."""
    check_endpoint_url(endpoint.url)
    endpoint.events = check_events(endpoint.events or [])
    endpoint.full_clean()
    was_enabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_enabled=True).exists() if endpoint.pk else False
    if endpoint.is_enabled and not was_enabled:
        endpoint.failing_since = endpoint.disabled_at = None
    endpoint.save()
    return endpoint


def create_endpoint(
    *, client: Client, url: str, events: Iterable[str], description: str = "", is_enabled: bool = True
) -> WebhookEndpoint:
    return save_endpoint(
        WebhookEndpoint(client=client, url=url, events=list(events), description=description, is_enabled=is_enabled)
    )


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    """The endpoint goes with its log; rows still queued are never sent."""
    endpoint.delete()


def rotate_secret(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new signing secret from the next attempt on (the old one stops working at once)."""
    endpoint.secret = new_webhook_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint


def redeliver(delivery_row: WebhookDelivery) -> WebhookDelivery:
    """Send a delivered or failed event again, same event id and body (receivers de-duplicate by the id).

    A row still in line is left alone; a disabled endpoint must be enabled first."""
    if not WebhookEndpoint.objects.filter(pk=delivery_row.endpoint_id, is_enabled=True).exists():
        raise InvalidInput(_("Enable the endpoint first, then redeliver."))
    with transaction.atomic():
        requeued = WebhookDelivery.objects.filter(
            pk=delivery_row.pk,
            status__in=(OutboxStatus.SENT, OutboxStatus.FAILED),
        ).update(status=OutboxStatus.RETRYING, attempts=0, next_attempt_at=timezone.now(), claim_token=None)
        if requeued:
            delivery.send_on_commit([delivery_row.pk])
    delivery_row.refresh_from_db()
    return delivery_row
