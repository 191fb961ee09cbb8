"""Background work of reports. Tasks take ids, call one function, and are safe to run twice.

`send_deliveries` (reports.tasks.send_deliveries) is defined beside the delivery engine, which queues it."""

from celery import shared_task

from reports.delivery import callback_reminders, deliveries, leads
from reports.delivery.deliveries import send_deliveries
from reports.post_chat import digests
from reports.post_chat import services as post_chat


@shared_task
def deliver_lead(lead_id: int) -> list[int]:
    return leads.deliver_lead(lead_id=lead_id)


@shared_task
def deliver_offline_message(offline_message_id: int) -> list[int]:
    return leads.deliver_offline_message(offline_message_id=offline_message_id)


@shared_task
def deliver_missing_offline_messages() -> int:
    return leads.deliver_missing_offline_messages()


@shared_task
def build_report(conversation_id: int) -> int | None:
    report = post_chat.build_report(conversation_id=conversation_id)
    return report.pk if report else None


@shared_task
def build_missing_reports() -> int:
    return post_chat.build_missing_reports()


@shared_task
def send_due_deliveries() -> int:
    """Every REPORT_SWEEP_SECONDS: rows whose worker was lost, retries whose backoff has passed,
    rows whose task was lost, and the hourly digests when due."""
    return deliveries.send_due_deliveries_rollback_unsafe()


@shared_task
def send_escalation_reminders() -> int:
    return digests.queue_reminders()


@shared_task
def send_callback_reminders() -> int:
    return callback_reminders.queue_callback_reminders()


@shared_task
def send_daily_digests() -> int:
    return digests.queue_daily_digests()


@shared_task
def send_weekly_feedback() -> int:
    return digests.queue_weekly_feedback()


__all__ = ["send_deliveries"]  # importing it here registers it wherever reports.tasks is loaded
