"""The periodic tasks: what `celery -A agency beat` sends (agency/celery.py hands this to the
app) and what `manage.py run_periodic_tasks` runs in the embedded setup. The one list; it is
also `settings.CELERY_BEAT_SCHEDULE`, by the same name as ever.
"""

from celery.schedules import crontab

from agency.settings_env import env_float

# Lost workers' rows and retries, of report emails and of webhooks (docs/operations.md).
REPORT_SWEEP_SECONDS = env_float("REPORT_SWEEP_SECONDS", 30)

BEAT_SCHEDULE = {
    "sweep-unconnected-conversations": {  # chats created whose socket never came (CHAT_VISITOR_CONNECT_SECONDS)
        "task": "chats.tasks.sweep_unconnected_conversations",
        "schedule": 10.0,
    },
    "sweep-abandoned-conversations": {
        "task": "chats.tasks.sweep_abandoned_conversations",
        "schedule": 30.0,
    },
    "sweep-idle-conversations": {
        "task": "chats.tasks.sweep_idle_conversations",
        "schedule": 60.0,
    },
    "reports-send-due-deliveries": {  # lost workers' rows, retries, hourly digests (docs/operations.md)
        "task": "reports.tasks.send_due_deliveries",
        "schedule": REPORT_SWEEP_SECONDS,
    },
    "reports-deliver-missing-offline-messages": {  # leads whose after-commit announcement was lost
        "task": "reports.tasks.deliver_missing_offline_messages",
        "schedule": 300.0,
    },
    "reports-build-missing-reports": {
        "task": "reports.tasks.build_missing_reports",
        "schedule": 300.0,
    },
    "reports-escalation-reminders": {
        "task": "reports.tasks.send_escalation_reminders",
        "schedule": 900.0,
    },
    "reports-delete-expired-data": {  # each client's retention period
        "task": "reports.tasks.delete_expired_data",
        "schedule": crontab(hour=3, minute=15),
    },
    "reports-daily-digests": {
        "task": "reports.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "reports-weekly-feedback": {
        "task": "reports.tasks.send_weekly_feedback",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    "close-queues-outside-coverage": {
        "task": "chats.tasks.close_queues_outside_coverage",
        "schedule": 60.0,
    },
    "clients-send-due-webhook-deliveries": {  # webhook retries and lost workers' rows (docs/webhooks.md)
        "task": "clients.tasks.send_due_webhook_deliveries",
        "schedule": REPORT_SWEEP_SECONDS,
    },
    "reports-callback-reminders": {  # callbacks due within CHAT_CALLBACK_REMIND_MINUTES
        "task": "reports.tasks.send_callback_reminders",
        "schedule": 60.0,
    },
    "reports-quality-emails": {  # NPS surveys now due, then due or retried transcripts and surveys
        "task": "reports.quality.tasks.send_quality_emails_due",
        "schedule": 300.0,
    },
    "quality-build-qa-samples": {  # the week's chats for QA review: each agent's share, low-rated, escalated
        "task": "quality.tasks.build_qa_samples",
        "schedule": crontab(hour=4, minute=30),
    },
}
