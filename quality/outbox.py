"""The visitors' emails' outbox: the shared engine (core.outbound) with quality's composer."""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.db import transaction

from core.outbound.outbox import Outbox
from quality import emails
from quality.models import QualityEmail

OUTBOX = Outbox(model=QualityEmail, compose=emails.compose, related=("client", "conversation", "survey"))


@shared_task(name="reports.quality.send_quality_emails")
def send_quality_emails(email_ids: list[int]) -> int:
    return OUTBOX.send_rollback_unsafe(email_ids)


def send_on_commit(email_ids: Iterable[int]) -> None:
    """Ask a worker to send these rows once the transaction that queued them commits."""
    ids = list(email_ids)
    if ids:
        transaction.on_commit(lambda: send_quality_emails.delay(ids), robust=True)


def send_due_rollback_unsafe() -> int:
    """The sweep: rows a lost worker left, retries whose backoff passed, rows whose task was lost."""
    return OUTBOX.send_due_rollback_unsafe()
