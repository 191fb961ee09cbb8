"""Queue, claim and send outbound deliveries, at most once per recipient and subject while workers live.

A row is created once per `key` (get_or_create on a unique key). A sender takes
one email's rows at a time with a conditional UPDATE (queued/retrying → sending,
a fresh `claim_token`) and sends only the rows it changed, so duplicated or
retried tasks and several workers never send twice. A row waiting behind others
in a batch is not claimed yet, so however slow the batch, nothing in it goes stale.
Only the claim that took a row may mark it sent or failed (`claim_token`).

While a worker sends, a small thread renews the claim's lease (`claimed_at`)
every quarter of REPORT_SENDING_STUCK_SECONDS, so a live but slow send is never
taken for a lost one. A killed worker stops renewing: after the lease runs out
the sweep puts just that row back in line; the other rows of its batch were never
claimed and the next sweep sends them at once. From a lost claim on, the email is
at least once (the dead worker may have handed it to the mail server just before
dying); every attempt carries the same Message-ID, so mail systems that
de-duplicate by Message-ID still show the recipient one email.

Failures are retried from the database with exponential backoff (no long Celery
countdowns: they outlive the broker's visibility timeout).
"""
from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from clients import services as clients_services
from core.outbound import DeliveryError, transport_for
from reports.delivery import emails
from reports.models import CLAIMABLE_STATUSES, Delivery, DeliveryKind, DeliveryStatus

logger = logging.getLogger(__name__)


def queue_delivery(*, key: str, kind: str, client_id: int, address: str, language: str = "en", user=None,
                   report=None, escalation=None, offline_message=None, is_batched: bool = False,
                   not_before: datetime | None = None) -> Delivery:
    """The delivery row for `key`, created queued the first time (idempotent)."""
    delivery, _created = Delivery.objects.get_or_create(key=key, defaults={
        "kind": kind, "client_id": client_id, "address": address, "language": language, "user": user,
        "report": report, "escalation": escalation, "offline_message": offline_message,
        "is_batched": is_batched, "next_attempt_at": not_before or timezone.now(),
    })
    return delivery


@shared_task(name="reports.tasks.send_deliveries")  # the name queued tasks carry
def send_deliveries(delivery_ids: list[int]) -> int:
    """The task that sends queued rows: it lives beside the engine, so queueing it needs no import of
    reports.tasks (which imports every concern of reports)."""
    return send_deliveries_rollback_unsafe(delivery_ids)


def send_on_commit(delivery_ids: list[int]) -> None:
    """Ask a worker to send these rows once the transaction that queued them commits."""
    if not delivery_ids:
        return
    ids = list(delivery_ids)
    transaction.on_commit(lambda: send_deliveries.delay(ids), robust=True)


def claim(delivery_ids: Iterable[int], token: uuid.UUID) -> list[int]:
    """Take the due rows of one email for this claim; the ids it got (none if others have them or they are done)."""
    now = timezone.now()
    return [
        pk for pk in delivery_ids
        if Delivery.objects.filter(pk=pk, status__in=CLAIMABLE_STATUSES, next_attempt_at__lte=now).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now, claim_token=token) == 1
    ]


def lease_seconds() -> float:
    return float(settings.REPORT_SENDING_STUCK_SECONDS)


@contextmanager
def lease_kept(delivery_ids: list[int], token: uuid.UUID) -> Iterator[None]:
    """Renew the claim's lease while the block runs (composing and sending), from a thread of its own.

    Inside a transaction the claim is not visible to other workers yet, so there is nothing to renew."""
    if transaction.get_connection().in_atomic_block:
        yield
        return
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(lease_seconds() / 4):
                Delivery.objects.filter(pk__in=delivery_ids, claim_token=token,
                                        status=DeliveryStatus.SENDING).update(claimed_at=timezone.now())
        except Exception:  # a lost lease means at worst a resend with the same Message-ID
            logger.exception("could not renew the lease of deliveries %s", delivery_ids)
        finally:
            connections.close_all()  # this thread's connection only

    renewer = threading.Thread(target=renew, name=f"delivery-lease-{token.hex[:8]}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()


def recover_stuck_deliveries(now: datetime | None = None) -> int:
    """Put back in line the rows whose claim's lease ran out: their worker died while sending them.

    A live worker renews its lease while it sends, so only a lost one lets it lapse."""
    now = now or timezone.now()
    stuck_before = now - timedelta(seconds=lease_seconds())
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stuck_before)
    recovered = stuck.update(status=DeliveryStatus.RETRYING, next_attempt_at=now, claim_token=None,
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
    """Send the given rows that are due, one email at a time; returns how many rows were sent.

    Does SMTP: never inside a transaction."""
    due = (Delivery.objects.filter(pk__in=list(delivery_ids), status__in=CLAIMABLE_STATUSES,
                                   next_attempt_at__lte=timezone.now())
           .only("pk", "kind", "is_batched", "user_id").order_by("pk"))
    return sum(claim_and_send_rollback_unsafe([row.pk for row in group]) for group in sending_groups(due))


def claim_and_send_rollback_unsafe(delivery_ids: list[int]) -> int:
    """Claim one email's rows, send it while keeping the lease, and mark what this claim took."""
    token = uuid.uuid4()
    claimed = claim(delivery_ids, token)
    if not claimed:
        return 0
    group = list(Delivery.objects.filter(pk__in=claimed, claim_token=token)
                 .select_related("client", "user", "report", "escalation", "offline_message").order_by("pk"))
    with lease_kept(claimed, token):
        try:
            transport_for(group[0].channel).send(emails.compose(group))
        except DeliveryError as error:
            mark_failed(group, token, str(error), is_permanent=error.is_permanent)
            return 0
        except Exception as error:  # a bug composing the email must not leave rows stuck in "sending"
            logger.exception("delivery %s could not be composed or sent", group[0].pk)
            mark_failed(group, token, f"{type(error).__name__}: {error}", is_permanent=False)
            return 0
    return mark_sent(group, token)


def mark_sent(group: list[Delivery], token: uuid.UUID) -> int:
    """Only this claim's rows: a recovered and re-claimed row belongs to another attempt."""
    now = timezone.now()
    marked = Delivery.objects.filter(pk__in=[d.pk for d in group], status=DeliveryStatus.SENDING,
                                     claim_token=token).update(status=DeliveryStatus.SENT, sent_at=now,
                                                               last_error="")
    leads = [d.offline_message_id for d in group if d.kind == DeliveryKind.LEAD]
    if leads:
        clients_services.record_offline_messages_notified(offline_message_ids=leads, at=now)
    return marked


def mark_failed(group: list[Delivery], token: uuid.UUID, error: str, *, is_permanent: bool) -> None:
    now = timezone.now()
    max_attempts = settings.REPORT_MAX_ATTEMPTS
    for delivery in group:
        attempts = delivery.attempts  # loaded after the claim raised it
        gives_up = is_permanent or attempts >= max_attempts
        marked = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING, claim_token=token).update(
            status=DeliveryStatus.FAILED if gives_up else DeliveryStatus.RETRYING,
            next_attempt_at=now if gives_up else now + Delivery.backoff(attempts),
            last_error=error[:2000],
        )
        if marked:
            logger.warning("delivery %s failed (attempt %s, %s): %s", delivery.pk, attempts,
                           "giving up" if gives_up else "will retry", error)


def send_due_deliveries_rollback_unsafe(limit: int = 500) -> int:
    """The sweep: put back in line the rows a lost worker left in "sending", then send every queued
    or retrying row whose time has come (batched digests included), one email at a time."""
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
