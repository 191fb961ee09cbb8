"""The `data` of reports' webhook events (docs/webhooks.md), emitted through clients.webhooks.

Internal notes never leave: an escalation's `note` is for the agency and the client's portal only."""

from __future__ import annotations

from clients.models import WebhookEventType
from clients.webhooks import services as webhooks
from reports.models import Escalation, Report


def escalation_data(escalation: Escalation) -> dict:
    return {
        "escalation": {
            "id": escalation.pk,
            "conversation_id": escalation.conversation_id,
            "question": escalation.question,
            "category": escalation.category,
            "urgency": escalation.urgency,
            "status": escalation.status,
            "created_at": escalation.created_at,
        }
    }


def report_data(report: Report) -> dict:
    escalations = list(report.conversation.escalations.order_by("pk").values_list("pk", flat=True))
    return {
        "report": {
            "id": report.pk,
            "conversation_id": report.conversation_id,
            "is_urgent": report.is_urgent,
            "visitor": {"name": report.visitor_name, "email": report.visitor_email},
            "escalation_ids": escalations,
            "created_at": report.created_at,
        }
    }


def emit_escalation_created(escalation: Escalation) -> None:
    webhooks.emit_event(escalation.client_id, WebhookEventType.ESCALATION_CREATED, lambda: escalation_data(escalation))


def emit_report_sent(report: Report) -> None:
    """The report is built and handed to delivery (its emails go out now or in the hour's digest)."""
    webhooks.emit_event(report.client_id, WebhookEventType.REPORT_SENT, lambda: report_data(report))
