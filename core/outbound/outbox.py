"""Outbox rows and the engine that sends them, at most once per row while workers live.

An app that sends something subclasses `OutboxRow` (its own table, its own domain
fields) and describes it in an `Outbox`: how to compose one message from a group of
rows, how rows group, what happens once they are sent. The engine does the rest:

A sender takes one message's rows at a time with a conditional UPDATE (queued/retrying
→ sending, a fresh `claim_token`) and sends only the rows it changed, so duplicated or
retried tasks and several workers never send twice. A row waiting behind others in a
batch is not claimed yet, so however slow the batch, nothing in it goes stale. Only
the claim that took a row may mark it sent or failed (`claim_token`).

While a worker sends, a small thread renews the claim's lease (`claimed_at`) every
quarter of REPORT_SENDING_STUCK_SECONDS, so a live but slow send is never taken for a
lost one. A killed worker stops renewing: after the lease runs out the sweep puts just
that row back in line; the other rows of its batch were never claimed and the next
sweep sends them at once. From a lost claim on, the message is at least once (the dead
worker may have handed it over just before dying); every attempt carries the same
`message_id`, so receivers that de-duplicate by it still see one message.

Failures are retried from the database with exponential backoff up to
REPORT_MAX_ATTEMPTS (no long Celery countdowns: they outlive the broker's visibility
timeout). The REPORT_* settings are named after the first app that had an outbox;
they govern every outbox.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.outbound.transports import DeliveryError, transport_for

logger = logging.getLogger(__name__)


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")


CLAIMABLE_STATUSES = (OutboxStatus.QUEUED, OutboxStatus.RETRYING)


class OutboxRow(models.Model):
    """One outbound message to one recipient: what the engine needs to send it once.

    `key` is unique per (what, whom), so a repeated task finds the row instead of
    adding one; the sender claims a row with a conditional UPDATE
    (queued/retrying → sending, a new `claim_token`) and sends only if it changed it.
    """

    key = models.CharField(max_length=120, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, default="email")
    address = models.CharField(_("address"), max_length=254)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(
        _("claimed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a worker last took the row or renewed its lease."),
    )
    claim_token = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Names the worker's claim: only that claim may mark the row."),
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]]  # each concrete row model's default manager (a type, nothing added)

    class Meta:
        abstract = True

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so a resend after a lost worker is one message to receivers."""
        local_part = re.sub(r"[^A-Za-z0-9_-]+", ".", self.key).strip(".")
        return f"<relevo.{local_part}@{settings.RELEVO_MESSAGE_ID_DOMAIN}>"

    @staticmethod
    def backoff(attempts: int) -> timedelta:
        """Exponential: 1, 2, 4, 8… minutes after the n-th failed attempt, at most a day."""
        return timedelta(seconds=min(settings.REPORT_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 86400))


def each_alone(rows: Iterable[OutboxRow]) -> list[list[OutboxRow]]:
    """The default grouping: one message per row."""
    return [[row] for row in rows]


def lease_seconds() -> float:
    return float(settings.REPORT_SENDING_STUCK_SECONDS)


@dataclass(frozen=True)
class Outbox:
    """One app's outbox: its row model and the domain part of sending (the engine is shared).

    `compose` turns one group of claimed rows into one message for their channel's
    transport; `group` splits due rows into messages (reading only `grouping_fields`);
    `related` is select_related when loading a claimed group for `compose`;
    `after_sent` runs with the rows this claim marked sent and the time they were;
    `after_attempt` runs after every attempt, sent or not, with the claimed rows, what the
    transport returned (None on failure) and the error (None on success): a delivery log;
    `max_attempts_setting` names the setting of how many attempts a row gets before it fails."""

    model: type[OutboxRow]
    compose: Callable[[list[Any]], Any]
    group: Callable[[Iterable[Any]], list[list[Any]]] = each_alone
    grouping_fields: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    after_sent: Callable[[list[Any], datetime], None] | None = None
    after_attempt: Callable[[list[Any], Any, DeliveryError | None], None] | None = None
    max_attempts_setting: str = "REPORT_MAX_ATTEMPTS"

    def claim(self, row_ids: Iterable[int], token: uuid.UUID) -> list[int]:
        """Take one message's due rows for this claim; the ids it got (none if others hold them or they are done)."""
        now = timezone.now()
        return [
            pk
            for pk in row_ids
            if self.model.objects.filter(pk=pk, status__in=CLAIMABLE_STATUSES, next_attempt_at__lte=now).update(
                status=OutboxStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now, claim_token=token
            )
            == 1
        ]

    @contextmanager
    def lease_kept(self, row_ids: list[int], token: uuid.UUID) -> Iterator[None]:
        """Renew the claim's lease while the block runs (composing and sending), from a thread of its own.

        Inside a transaction the claim is not visible to other workers yet, so there is nothing to renew."""
        if transaction.get_connection().in_atomic_block:
            yield
            return
        stop = threading.Event()

        def renew() -> None:
            try:
                while not stop.wait(lease_seconds() / 4):
                    self.model.objects.filter(pk__in=row_ids, claim_token=token, status=OutboxStatus.SENDING).update(
                        claimed_at=timezone.now()
                    )
            except Exception:  # a lost lease means at worst a resend with the same message id
                logger.exception("could not renew the lease of %s rows %s", self.model.__name__, row_ids)
            finally:
                connections.close_all()  # this thread's connection only

        renewer = threading.Thread(target=renew, name=f"outbox-lease-{token.hex[:8]}", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()

    def recover_stuck(self, now: datetime | None = None) -> int:
        """Put back in line the rows whose claim's lease ran out: their worker died while sending them.

        A live worker renews its lease while it sends, so only a lost one lets it lapse."""
        now = now or timezone.now()
        stuck_before = now - timedelta(seconds=lease_seconds())
        stuck = self.model.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=stuck_before)
        recovered = stuck.update(
            status=OutboxStatus.RETRYING,
            next_attempt_at=now,
            claim_token=None,
            last_error="The worker sending this was lost; sending again.",
        )
        if recovered:
            logger.warning("%s %s rows were stuck in sending and are queued again", recovered, self.model.__name__)
        return recovered

    def send_rollback_unsafe(self, row_ids: Iterable[int]) -> int:
        """Send the given rows that are due, one message at a time; returns how many rows were sent.

        Does network I/O: never inside a transaction."""
        due = (
            self.model.objects.filter(
                pk__in=list(row_ids), status__in=CLAIMABLE_STATUSES, next_attempt_at__lte=timezone.now()
            )
            .only("pk", *self.grouping_fields)
            .order_by("pk")
        )
        return sum(self.claim_and_send_rollback_unsafe([row.pk for row in group]) for group in self.group(due))

    def claim_and_send_rollback_unsafe(self, row_ids: list[int]) -> int:
        """Claim one message's rows, send it while keeping the lease, and mark what this claim took."""
        token = uuid.uuid4()
        claimed = self.claim(row_ids, token)
        if not claimed:
            return 0
        group = list(
            self.model.objects.filter(pk__in=claimed, claim_token=token).select_related(*self.related).order_by("pk")
        )
        with self.lease_kept(claimed, token):
            try:
                result = transport_for(group[0].channel).send(self.compose(group))
            except DeliveryError as error:
                self.mark_failed(group, token, str(error), is_permanent=error.is_permanent)
                self.record_attempt(group, None, error)
                return 0
            except Exception as error:  # a bug composing the message must not leave rows stuck in "sending"
                logger.exception("%s %s could not be composed or sent", self.model.__name__, group[0].pk)
                self.mark_failed(group, token, f"{type(error).__name__}: {error}", is_permanent=False)
                self.record_attempt(group, None, DeliveryError(f"{type(error).__name__}: {error}"))
                return 0
        sent = self.mark_sent(group, token)
        self.record_attempt(group, result, None)
        return sent

    def record_attempt(self, group: list[OutboxRow], result: Any, error: DeliveryError | None) -> None:
        if self.after_attempt is None:
            return
        try:
            self.after_attempt(group, result, error)
        except Exception:  # the log is a record of the send, never a reason to send again
            logger.exception("could not record the attempt on %s %s", self.model.__name__, group[0].pk)

    def mark_sent(self, group: list[OutboxRow], token: uuid.UUID) -> int:
        """Only this claim's rows: a recovered and re-claimed row belongs to another attempt."""
        now = timezone.now()
        marked = self.model.objects.filter(
            pk__in=[row.pk for row in group], status=OutboxStatus.SENDING, claim_token=token
        ).update(status=OutboxStatus.SENT, sent_at=now, last_error="")
        if self.after_sent:
            self.after_sent(group, now)
        return marked

    def mark_failed(self, group: list[OutboxRow], token: uuid.UUID, error: str, *, is_permanent: bool) -> None:
        now = timezone.now()
        max_attempts = getattr(settings, self.max_attempts_setting)
        for row in group:
            attempts = row.attempts  # loaded after the claim raised it
            gives_up = is_permanent or attempts >= max_attempts
            marked = self.model.objects.filter(pk=row.pk, status=OutboxStatus.SENDING, claim_token=token).update(
                status=OutboxStatus.FAILED if gives_up else OutboxStatus.RETRYING,
                next_attempt_at=now if gives_up else now + self.model.backoff(attempts),
                last_error=error[:2000],
            )
            if marked:
                logger.warning(
                    "%s %s failed (attempt %s, %s): %s",
                    self.model.__name__,
                    row.pk,
                    attempts,
                    "giving up" if gives_up else "will retry",
                    error,
                )

    def send_due_rollback_unsafe(self, limit: int = 500) -> int:
        """The sweep: put back in line the rows a lost worker left in "sending", then send every queued
        or retrying row whose time has come (grouped as `group` says), one message at a time."""
        self.recover_stuck()
        due = list(
            self.model.objects.filter(status__in=CLAIMABLE_STATUSES, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        return self.send_rollback_unsafe(due)

    def retry_now(self, row_ids: Iterable[int]) -> int:
        """Admin: put failed rows back in line for the next sweep."""
        return self.model.objects.filter(pk__in=list(row_ids), status=OutboxStatus.FAILED).update(
            status=OutboxStatus.RETRYING, next_attempt_at=timezone.now()
        )
