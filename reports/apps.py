from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # chats and clients must not import reports: reports subscribes to their events instead.
        from chats import events
        from chats.leads import hooks as lead_hooks
        from clients import events as clients_events
        from reports import tasks

        if tasks.on_conversation_closed not in events.conversation_closed_hooks:
            events.conversation_closed_hooks.append(tasks.on_conversation_closed)
        if tasks.on_lead_created not in lead_hooks.lead_created_hooks:
            lead_hooks.lead_created_hooks.append(tasks.on_lead_created)
        if tasks.on_offline_message_left not in clients_events.offline_message_left_hooks:
            clients_events.offline_message_left_hooks.append(tasks.on_offline_message_left)
