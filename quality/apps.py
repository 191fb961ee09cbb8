from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("Quality")

    def ready(self) -> None:
        from quality import receivers, tasks  # noqa: F401  (tasks: registers the beat task in every process)

        receivers.connect()
