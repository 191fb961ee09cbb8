"""Background work of the chat domain: periodic sweeps, at most one of each queued or running."""

from celery import shared_task

from chats import after_hours, services
from core.single_tasks import SingleQueuedTask


@shared_task(base=SingleQueuedTask)
def sweep_abandoned_conversations() -> int:
    return services.sweep_abandoned_conversations()


@shared_task(base=SingleQueuedTask)
def sweep_unconnected_conversations() -> int:
    return services.sweep_unconnected_conversations()


@shared_task(base=SingleQueuedTask)
def close_queues_outside_coverage() -> int:
    return after_hours.close_queues_outside_coverage()


@shared_task(base=SingleQueuedTask)
def sweep_idle_conversations() -> int:
    return services.sweep_idle_conversations()
