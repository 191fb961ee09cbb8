from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # chats and clients must not import reports: reports receives their signals instead.
        from reports import receivers
        from reports.quality import receivers as quality_receivers
        from reports.quality import tasks  # noqa: F401  (registers the beat task)

        receivers.connect()
        quality_receivers.connect()
