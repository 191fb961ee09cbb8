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
        register_quality_hooks()


def register_quality_hooks() -> None:
    """Transcripts asked for in the widget, and sent automatically after a close (reports.quality)."""
    from chats import events, transcript_requests
    from reports.quality import hooks, tasks  # noqa: F401  (registers the beat task)

    if hooks.on_transcript_requested not in transcript_requests.transcript_requested_hooks:
        transcript_requests.transcript_requested_hooks.append(hooks.on_transcript_requested)
    if hooks.on_conversation_closed not in events.conversation_closed_hooks:
        events.conversation_closed_hooks.append(hooks.on_conversation_closed)
