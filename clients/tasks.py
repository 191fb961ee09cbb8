"""Background work of the clients domain."""

from __future__ import annotations

from celery import shared_task

from clients import signals
from clients.models import OfflineMessage
from clients.webhooks.delivery import (  # noqa: F401  (registered here, where Celery's autodiscovery looks)
    notify_owners_of_disabled_endpoint,
    send_due_webhook_deliveries,
    send_webhook_deliveries,
)


@shared_task
def notify_representatives_of_offline_message(offline_message_id: int) -> None:
    """Announce a stored lead again (kept for tasks queued before leads became deliveries).

    The receivers are idempotent: a lead already delivered or flagged gets nothing more. Sent
    as the hooks were called: at once, and a receiver's failure fails the task (Celery's retry)."""
    signals.offline_message_left.send(sender=OfflineMessage, offline_message_id=offline_message_id)
