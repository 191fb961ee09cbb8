"""`manage.py run_periodic_tasks`: run CELERY_BEAT_SCHEDULE in-process.

For the embedded setup (no Redis, eager Celery), where there is no beat to send
tasks and no worker to run them. Production runs `celery -A agency beat`.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from agency.celery import app


def seconds_until_next(interval) -> float:
    """A float interval, a celery `schedule`, or a `crontab`."""
    if isinstance(interval, int | float):
        return float(interval)
    if hasattr(interval, "run_every"):
        return interval.run_every.total_seconds()
    return max(interval.remaining_estimate(timezone.now()).total_seconds(), 1.0)


class Command(BaseCommand):
    help = "Run the periodic tasks of CELERY_BEAT_SCHEDULE in this process (embedded setup)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every task once and exit.")

    def handle(self, *args, **options):
        app.loader.import_default_modules()
        schedule = settings.CELERY_BEAT_SCHEDULE
        start = time.monotonic()
        # Intervals run at once; crontab entries (daily digests…) wait for their time.
        next_run = {
            name: start if isinstance(entry["schedule"], int | float) else start + seconds_until_next(entry["schedule"])
            for name, entry in schedule.items()
        }
        while True:
            now = time.monotonic()
            for name, entry in schedule.items():
                if now >= next_run[name]:
                    self.run_task(name, entry["task"])
                    next_run[name] = now + seconds_until_next(entry["schedule"])
            if options["once"]:
                return
            time.sleep(1)

    def run_task(self, name: str, task_name: str) -> None:
        try:
            app.tasks[task_name].apply()
        except Exception as error:  # a failing task must not stop the others
            self.stderr.write(f"{name}: {error!r}")
