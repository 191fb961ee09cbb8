from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # chats and clients must not import reports: reports receives their signals instead.
        from reports import receivers

        receivers.connect()
