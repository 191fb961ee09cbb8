"""Background work of privacy: the daily retention sweep."""

from celery import shared_task

from privacy import services


@shared_task(name="reports.tasks.delete_expired_data")  # the name beat and queued tasks carry
def delete_expired_data() -> int:
    """Daily: each client's retention period (clients without one keep everything)."""
    return len(services.delete_expired_data())
