"""How reports reacts to what chats and clients announce (their signals, sent after commit).
Connected by ReportsConfig.ready(); quality connects its own (quality.receivers)."""

from __future__ import annotations

from chats import signals as chat_signals
from chats.leads import signals as lead_signals
from clients import signals as client_signals
from reports import tasks
from reports.post_chat import services as post_chat


def report_closed_chat(sender, *, conversation_id: int, **kwargs) -> None:
    """A closed chat with something to report gets its report, built by a worker."""
    if post_chat.has_anything_to_report(conversation_id):
        tasks.build_report.delay(conversation_id)


def deliver_offline_message(sender, *, offline_message_id: int, **kwargs) -> None:
    """A message left outside coverage is delivered from a worker."""
    tasks.deliver_offline_message.delay(offline_message_id)


def deliver_lead(sender, *, lead_id: int, **kwargs) -> None:
    """A new lead is sent to the client's people from a worker."""
    tasks.deliver_lead.delay(lead_id)


def connect() -> None:
    chat_signals.conversation_closed.connect(report_closed_chat, dispatch_uid="reports.report_closed_chat")
    lead_signals.lead_created.connect(deliver_lead, dispatch_uid="reports.deliver_lead")
    client_signals.offline_message_left.connect(deliver_offline_message, dispatch_uid="reports.deliver_offline_message")
