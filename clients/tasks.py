"""Background work of the clients domain."""
from __future__ import annotations

from celery import shared_task

from clients import events
from clients.webhooks.delivery import (  # noqa: F401  (registered here, where Celery's autodiscovery looks)
    notify_owners_of_disabled_endpoint,
    send_due_webhook_deliveries,
    send_webhook_deliveries,
)


@shared_task
def notify_representatives_of_offline_message(offline_message_id: int) -> None:
    """Announce a stored lead again (kept for tasks queued before leads became deliveries).

    The hooks are idempotent: a lead already delivered or flagged gets nothing more."""
    for hook in events.offline_message_left_hooks:
        hook(offline_message_id)
