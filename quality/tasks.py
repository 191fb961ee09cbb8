"""Beat tasks of quality (names in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from quality import outbox, services


@shared_task(name="reports.quality.tasks.send_quality_emails_due")
def send_quality_emails_due() -> int:
    """Queue the NPS surveys now due, then send every due row (retries, lost tasks)."""
    services.queue_due_nps_surveys()
    return outbox.send_due_rollback_unsafe()
