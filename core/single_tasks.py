"""Celery tasks of which at most one is queued or running at a time (the periodic sweeps).

Beat sends a sweep every few seconds whether or not the last one has run: behind a busy
worker the copies piled up (28 of one sweep, 87 of another) and each did the same work
again. Sending takes a claim (`core.limits.claim`: Redis, shared by beat and every worker;
per process without Redis) that the run gives back when it ends; while it is held, a send
is skipped. A claim whose worker died lapses after SWEEP_CLAIM_SECONDS.
"""

from __future__ import annotations

import logging
from typing import Any

from billiard.einfo import ExceptionInfo
from celery import Task, uuid
from celery.result import AsyncResult
from django.conf import settings

from core import limits

logger = logging.getLogger(__name__)


class SingleQueuedTask(Task[Any, Any]):
    """`@shared_task(base=SingleQueuedTask)`: `apply_async` (beat, `delay`) returns None,
    sending nothing, while another copy of the task is queued or running."""

    def claim_key(self) -> str:
        return f"task:{self.name}"

    # Returning None for a skipped send is this class's point (Celery's own returns a result always);
    # the options after task_id are passed on by name only.
    def apply_async(  # type: ignore[override]
        self,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
        task_id: str | None = None,
        **options: Any,
    ) -> AsyncResult[Any] | None:
        task_id = task_id or uuid()
        if not limits.claim(self.claim_key(), owner=task_id, seconds=settings.SWEEP_CLAIM_SECONDS):
            logger.info("%s not sent: one is already queued or running", self.name)
            return None
        try:
            return super().apply_async(args, kwargs, task_id=task_id, **options)
        except BaseException:
            limits.release(self.claim_key(), owner=task_id)
            raise

    def after_return(
        self,
        status: str,
        retval: Any,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: ExceptionInfo | None,
    ) -> None:
        limits.release(self.claim_key(), owner=task_id)
