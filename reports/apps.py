from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # chats must not import reports: reports subscribes to the close instead.
        from chats import events
        from reports import tasks

        if tasks.on_conversation_closed not in events.conversation_closed_hooks:
            events.conversation_closed_hooks.append(tasks.on_conversation_closed)
