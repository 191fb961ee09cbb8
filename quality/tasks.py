"""Beat tasks of quality (names in CELERY_BEAT_SCHEDULE)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from quality import outbox, services
from quality.scorecards.sampling import build_week_samples, monday_of


@shared_task(name="reports.quality.tasks.send_quality_emails_due")
def send_quality_emails_due() -> int:
    """Queue the NPS surveys now due, then send every due row (retries, lost tasks)."""
    services.queue_due_nps_surveys()
    return outbox.send_due_rollback_unsafe()


@shared_task(name="quality.tasks.build_qa_samples")
def build_qa_samples() -> int:
    """Add to the QA sample of the week that holds yesterday (daily: late ratings and escalations join it)."""
    return build_week_samples(week=monday_of(timezone.localdate() - dt.timedelta(days=1)))
