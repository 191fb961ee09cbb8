"""Webhook test fixtures: private addresses allowed (the receiver is on 127.0.0.1), short timeouts."""

from __future__ import annotations

import pytest
from django.utils import timezone

from clients.models import Client, WebhookDelivery, WebhookEndpoint, WebhookEventType
from clients.webhooks import delivery
from clients.webhooks import services as webhooks


@pytest.fixture
def webhook_settings(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1.0
    return settings


def make_endpoint(client: Client, url: str, events=tuple(WebhookEventType.values)) -> WebhookEndpoint:
    return webhooks.create_endpoint(client=client, url=url, events=list(events))


def emit(client: Client, event_type: str = WebhookEventType.LEAD_CREATED, data: dict | None = None) -> list[int]:
    """Emit in a transaction that commits (the test's callbacks run, so the rows are sent at once)."""
    return webhooks.emit_event(client.pk, event_type, data or {"lead": {"id": 1}})


def send_retries_now() -> int:
    """As if the backoff had passed: every retrying row is due, and the sweep sends it."""
    WebhookDelivery.objects.filter(status="retrying").update(next_attempt_at=timezone.now())
    return delivery.send_due_webhook_deliveries()
