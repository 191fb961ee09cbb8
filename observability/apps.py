from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    """Health, readiness and metrics endpoints for balancers and Prometheus (docs/operations.md)."""

    name = "observability"
    verbose_name = "Observability"

    def ready(self) -> None:
        from core.task_metrics import connect_task_metrics  # noqa: PLC0415 (Celery's signals, once the apps load)

        connect_task_metrics()
