from django.apps import AppConfig

from core.task_metrics import connect_task_metrics


class ObservabilityConfig(AppConfig):
    """Health, readiness and metrics endpoints for balancers and Prometheus (docs/operations.md)."""

    name = "observability"
    verbose_name = "Observability"

    def ready(self) -> None:
        connect_task_metrics()  # Celery tasks timed in whichever process runs them (web or worker)
