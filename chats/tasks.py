"""Background work of the chat domain."""
from celery import shared_task

from chats import services


@shared_task
def sweep_abandoned_conversations() -> int:
    return services.sweep_abandoned_conversations()
