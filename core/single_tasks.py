"""Celery tasks of which at most one is queued or running at a time (the periodic sweeps).

Beat sends a sweep every few seconds whether or not the last one has run: behind a busy
worker the copies piled up (28 of one sweep, 87 of another) and each did the same work
again. Sending takes a claim (`core.limits.claim`: Redis, shared by beat and every worker;
per process without Redis) that the run gives back when it ends; while it is held, a send
is skipped. A claim whose worker died lapses after SWEEP_CLAIM_SECONDS.
"""
from __future__ import annotations

import logging

from celery import Task, uuid
from django.conf import settings

from core import limits

logger = logging.getLogger(__name__)


class SingleQueuedTask(Task):
    """`@shared_task(base=SingleQueuedTask)`: `apply_async` (beat, `delay`) returns None,
    sending nothing, while another copy of the task is queued or running."""

    def claim_key(self) -> str:
        return f"task:{self.name}"

    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        task_id = task_id or uuid()
        if not limits.claim(self.claim_key(), owner=task_id, seconds=settings.SWEEP_CLAIM_SECONDS):
            logger.info("%s not sent: one is already queued or running", self.name)
            return None
        try:
            return super().apply_async(args, kwargs, task_id=task_id, **options)
        except BaseException:
            limits.release(self.claim_key(), owner=task_id)
            raise

    def after_return(self, status, retval, task_id, args, kwargs, einfo) -> None:
        limits.release(self.claim_key(), owner=task_id)
