"""The periodic tasks are one list beside the Celery app (agency/beat.py), the same one
`settings.CELERY_BEAT_SCHEDULE` names, and every entry runs a task that exists."""

from celery import current_app as celery_app  # agency.celery's app (the linter keeps tests off the wiring)
from django.conf import settings

NAMES = [
    "sweep-unconnected-conversations",
    "sweep-abandoned-conversations",
    "sweep-idle-conversations",
    "reports-send-due-deliveries",
    "reports-deliver-missing-offline-messages",
    "reports-build-missing-reports",
    "reports-escalation-reminders",
    "reports-delete-expired-data",
    "reports-daily-digests",
    "reports-weekly-feedback",
    "close-queues-outside-coverage",
    "clients-send-due-webhook-deliveries",
    "reports-callback-reminders",
    "reports-quality-emails",
    "quality-build-qa-samples",
]


def test_the_celery_app_sends_the_schedule_that_settings_names():
    assert celery_app.main == "agency"
    assert celery_app.conf.beat_schedule is settings.CELERY_BEAT_SCHEDULE
    assert list(settings.CELERY_BEAT_SCHEDULE) == NAMES


def test_every_scheduled_entry_runs_a_registered_task():
    celery_app.loader.import_default_modules()
    missing = {
        name: entry["task"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in celery_app.tasks
    }
    assert missing == {}
