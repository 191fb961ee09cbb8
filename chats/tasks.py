"""Background work of the chat domain."""
from celery import shared_task

from chats import after_hours, services


@shared_task
def sweep_abandoned_conversations() -> int:
    return services.sweep_abandoned_conversations()


@shared_task
def sweep_unconnected_conversations() -> int:
    return services.sweep_unconnected_conversations()


@shared_task
def close_queues_outside_coverage() -> int:
    return after_hours.close_queues_outside_coverage()


@shared_task
def sweep_idle_conversations() -> int:
    return services.sweep_idle_conversations()
