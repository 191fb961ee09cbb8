"""Queue, claim and send outbound deliveries, at most once per recipient and subject.

A row is created once per `key` (get_or_create on a unique key); a sender claims
it with a conditional UPDATE (queued/retrying → sending) and sends only if that
changed one row, so duplicated or retried tasks and several workers never send
twice. Failures are retried from the database with exponential backoff (no long
Celery countdowns: they outlive the broker's visibility timeout).

A worker killed while sending leaves its rows in "sending". After
REPORT_SENDING_STUCK_SECONDS the sweep puts them back in line: from then on the
email is at least once (the dead worker may have handed it to the mail server
just before dying). Every attempt carries the same Message-ID per delivery, so
mail systems that de-duplicate by Message-ID still show the recipient one email.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reports import emails
from reports.models import CLAIMABLE_STATUSES, Delivery, DeliveryKind, DeliveryStatus
from reports.transports import DeliveryError, transport_for

logger = logging.getLogger(__name__)


def queue_delivery(*, key: str, kind: str, client_id: int, address: str, language: str = "en", user=None,
                   report=None, escalation=None, is_batched: bool = False,
                   not_before: datetime | None = None) -> Delivery:
    """The delivery row for `key`, created queued the first time (idempotent)."""
    delivery, _created = Delivery.objects.get_or_create(key=key, defaults={
        "kind": kind, "client_id": client_id, "address": address, "language": language, "user": user,
        "report": report, "escalation": escalation, "is_batched": is_batched,
        "next_attempt_at": not_before or timezone.now(),
    })
    return delivery


def send_on_commit(delivery_ids: list[int]) -> None:
    """Ask a worker to send these rows once the transaction that queued them commits."""
    if not delivery_ids:
        return
    from reports import tasks  # tasks import this module

    ids = list(delivery_ids)
    transaction.on_commit(lambda: tasks.send_deliveries.delay(ids), robust=True)


def claim(delivery_id: int, now: datetime) -> bool:
    """Take a due row for this worker; False if another worker has it or it is done."""
    return Delivery.objects.filter(
        pk=delivery_id, status__in=CLAIMABLE_STATUSES, next_attempt_at__lte=now,
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now) == 1


def recover_stuck_deliveries(now: datetime | None = None) -> int:
    """Put rows back in line whose worker died while sending them (they stayed in "sending" too long).

    The setting must exceed the longest a live worker can take to send, or a slow
    send is duplicated; the stable Message-ID keeps a duplicate invisible to most recipients.
    """
    now = now or timezone.now()
    stuck_before = now - timedelta(seconds=settings.REPORT_SENDING_STUCK_SECONDS)
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stuck_before)
    recovered = stuck.update(status=DeliveryStatus.RETRYING, next_attempt_at=now,
                             last_error="The worker sending this was lost; sending again.")
    if recovered:
        logger.warning("%s deliveries were stuck in sending and are queued again", recovered)
    return recovered


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


def send_deliveries_rollback_unsafe(delivery_ids: Iterable[int]) -> int:
    """Claim and send the given rows; returns how many rows were sent. Does SMTP: no transaction."""
    now = timezone.now()
    claimed = [pk for pk in dict.fromkeys(delivery_ids) if claim(pk, now)]
    rows = Delivery.objects.filter(pk__in=claimed).select_related("client", "user").order_by("pk")
    return sum(send_group_rollback_unsafe(group) for group in sending_groups(rows))


def send_group_rollback_unsafe(group: list[Delivery]) -> int:
    first = group[0]
    try:
        email = emails.compose(group)
        transport_for(first.channel).send(email)
    except DeliveryError as error:
        mark_failed(group, str(error), is_permanent=error.is_permanent)
        return 0
    except Exception as error:  # a bug composing the email must not leave rows stuck in "sending"
        logger.exception("delivery %s could not be composed or sent", first.pk)
        mark_failed(group, f"{type(error).__name__}: {error}", is_permanent=False)
        return 0
    for delivery in group:  # only this claim's rows: a recovered and re-claimed row is another attempt's
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING, attempts=delivery.attempts).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="")
    return len(group)


def mark_failed(group: list[Delivery], error: str, *, is_permanent: bool) -> None:
    now = timezone.now()
    max_attempts = settings.REPORT_MAX_ATTEMPTS
    for delivery in group:
        attempts = delivery.attempts  # loaded after the claim raised it
        gives_up = is_permanent or attempts >= max_attempts
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED if gives_up else DeliveryStatus.RETRYING,
            next_attempt_at=now if gives_up else now + Delivery.backoff(attempts),
            last_error=error[:2000],
        )
        logger.warning("delivery %s failed (attempt %s, %s): %s", delivery.pk, attempts,
                       "giving up" if gives_up else "will retry", error)


def send_due_deliveries_rollback_unsafe(limit: int = 500) -> int:
    """The sweep: send every queued or retrying row whose time has come (batched digests included),
    after putting back in line the rows a lost worker left in "sending"."""
    recover_stuck_deliveries()
    due = list(
        Delivery.objects.filter(status__in=CLAIMABLE_STATUSES, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
    return send_deliveries_rollback_unsafe(due)


def retry_now(delivery_ids: Iterable[int]) -> int:
    """Admin: put failed rows back in line for the next sweep."""
    return Delivery.objects.filter(pk__in=list(delivery_ids), status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.RETRYING, next_attempt_at=timezone.now())
