"""The Celery application and the periodic tasks its beat sends.

Configuration comes from Django settings (CELERY_*); the schedule is agency/beat.py,
the one list (also `settings.CELERY_BEAT_SCHEDULE`, the same dict).
"""

import os

from celery import Celery

from agency.beat import BEAT_SCHEDULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")

app = Celery("agency")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = BEAT_SCHEDULE
app.autodiscover_tasks()
