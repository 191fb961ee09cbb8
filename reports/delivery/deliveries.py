"""Reports' outbox: which delivery rows to queue, how they group into emails, what sending one means.

The engine (claim one email's rows with a conditional UPDATE, keep the lease while
sending, mark only under the same claim, retry with backoff, recover rows a lost
worker left) is core.outbound.outbox; this module gives it the domain part:
batched reports to one recipient are one digest email, `emails.compose` writes it,
and a lead whose email went out is marked notified.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from clients import services as clients_services
from core.outbound.outbox import Outbox
from reports.delivery import emails
from reports.models import Delivery, DeliveryKind


def queue_delivery(
    *,
    key: str,
    kind: str,
    client_id: int,
    address: str,
    language: str = "en",
    user=None,
    report=None,
    escalation=None,
    offline_message=None,
    lead=None,
    callback=None,
    is_batched: bool = False,
    not_before: datetime | None = None,
) -> Delivery:
    """The delivery row for `key`, created queued the first time (idempotent)."""
    delivery, _created = Delivery.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "client_id": client_id,
            "address": address,
            "language": language,
            "user": user,
            "report": report,
            "escalation": escalation,
            "offline_message": offline_message,
            "lead": lead,
            "callback": callback,
            "is_batched": is_batched,
            "next_attempt_at": not_before or timezone.now(),
        },
    )
    return delivery


def sending_groups(deliveries: Iterable[Delivery]) -> list[list[Delivery]]:
    """Batched reports to one recipient go out as one digest email; everything else alone."""
    batches: dict[int, list[Delivery]] = {}
    groups: list[list[Delivery]] = []
    for delivery in deliveries:
        if delivery.kind == DeliveryKind.REPORT and delivery.is_batched:
            batch = batches.setdefault(delivery.user_id or -delivery.pk, [])
            if not batch:
                groups.append(batch)
            batch.append(delivery)
        else:
            groups.append([delivery])
    return groups


def record_leads_notified(group: list[Delivery], at: datetime) -> None:
    """A lead's email went out: its offline message is marked notified."""
    leads = [d.offline_message_id for d in group if d.kind == DeliveryKind.LEAD and d.offline_message_id]
    if leads:
        clients_services.record_offline_messages_notified(offline_message_ids=leads, at=at)


OUTBOX = Outbox(
    model=Delivery,
    compose=emails.compose,
    group=sending_groups,
    grouping_fields=("kind", "is_batched", "user_id"),
    related=("client", "user", "report", "escalation", "offline_message", "lead"),
    after_sent=record_leads_notified,
)


@shared_task(name="reports.tasks.send_deliveries")  # the name queued tasks carry
def send_deliveries(delivery_ids: list[int]) -> int:
    """The task that sends queued rows: it lives beside the outbox, so queueing it needs no import of
    reports.tasks (which imports every concern of reports)."""
    return send_deliveries_rollback_unsafe(delivery_ids)


def send_on_commit(delivery_ids: list[int]) -> None:
    """Ask a worker to send these rows once the transaction that queued them commits."""
    if not delivery_ids:
        return
    ids = list(delivery_ids)
    transaction.on_commit(lambda: send_deliveries.delay(ids), robust=True)


def send_deliveries_rollback_unsafe(delivery_ids: Iterable[int]) -> int:
    """Send the given rows that are due, one email at a time; returns how many rows were sent.

    Does SMTP: never inside a transaction."""
    return OUTBOX.send_rollback_unsafe(delivery_ids)


def send_due_deliveries_rollback_unsafe(limit: int = 500) -> int:
    """The sweep: rows a lost worker left in "sending" go back in line, then every due row is sent."""
    return OUTBOX.send_due_rollback_unsafe(limit)


def recover_stuck_deliveries(now: datetime | None = None) -> int:
    """Put back in line the rows whose claim's lease ran out: their worker died while sending them."""
    return OUTBOX.recover_stuck(now)


def retry_now(delivery_ids: Iterable[int]) -> int:
    """Admin: put failed rows back in line for the next sweep."""
    return OUTBOX.retry_now(delivery_ids)
