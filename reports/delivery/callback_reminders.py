"""Remind whoever makes a client's callbacks, once, shortly before the visitor's chosen time.

The client's representatives who receive emails when the client makes its own callbacks,
the agency admins otherwise (or when the client has nobody who receives emails)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from chats.calls import callbacks
from chats.calls.models import CallbackHandler, CallbackRequest
from clients import services as clients_services
from reports.delivery import deliveries
from reports.delivery.leads import agency_admins
from reports.models import DeliveryKind


def queue_callback_reminders() -> int:
    """Claim and queue the reminders of every callback now due; returns how many were claimed."""
    now = timezone.now()
    return sum(queue_callback_reminder(callback_id=pk, now=now) for pk in callbacks.callbacks_due_for_reminder(now))


def queue_callback_reminder(*, callback_id: int, now) -> bool:
    with transaction.atomic():
        if not callbacks.claim_reminder(callback_id=callback_id, now=now):
            return False
        callback = CallbackRequest.objects.get(pk=callback_id)
        queued = [
            deliveries.queue_delivery(
                key=f"callback:{callback.pk}:user:{user.pk}",
                kind=DeliveryKind.CALLBACK,
                client_id=callback.client_id,
                address=user.email,
                language=language,
                user=user,
                callback=callback,
            ).pk
            for user, language in recipients(callback)
        ]
        deliveries.send_on_commit(queued)
    return True


def recipients(callback: CallbackRequest) -> list[tuple]:
    if callback.handled_by == CallbackHandler.CLIENT:
        representatives = clients_services.offline_message_recipients(callback.client_id)
        if representatives:
            return [(rep.user, rep.language) for rep in representatives]
    return [(admin, "en") for admin in agency_admins()]
