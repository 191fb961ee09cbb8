"""Time every Celery task (relevo_celery_task_seconds) from Celery's own signals.

`task_prerun` and `task_postrun` are sent in the process that runs the task (a worker's
child, or the web process itself for eager tasks), so a start is kept per task id in
that process until its end. Connected once from observability's AppConfig.ready().
"""

from __future__ import annotations

import time
from typing import Any

from celery.signals import task_postrun, task_prerun

from core import metrics

started: dict[str, float] = {}  # task id → its start, in this process


def task_started(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id is not None:
        started[task_id] = time.perf_counter()


def task_finished(task_id: str | None = None, task: Any = None, state: str | None = None, **kwargs: Any) -> None:
    start = started.pop(task_id, None) if task_id is not None else None
    if start is None or task is None:
        return
    name = str(getattr(task, "name", "unknown"))
    metrics.CELERY_TASK_SECONDS.labels(task=name, state=state or "unknown").observe(time.perf_counter() - start)


def connect_task_metrics() -> None:
    task_prerun.connect(task_started, weak=False, dispatch_uid="relevo-task-metrics-start")
    task_postrun.connect(task_finished, weak=False, dispatch_uid="relevo-task-metrics-end")
