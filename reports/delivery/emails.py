"""What each delivery says: a triple of templates (subject, text, HTML) per kind, in the
recipient's language. Message bodies are autoescaped in HTML, never marked safe."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from chats.calls.models import CallbackHandler
from chats.calls.selectors import calls_of
from chats.models import Conversation
from chats.ratings.models import Rating
from core.outbound import OutboundEmail
from reports.models import (
    Delivery,
    DeliveryKind,
    Escalation,
    EscalationStatus,
    Feedback,
    Report,
)
from reports.selectors import excerpts_of


def absolute(path: str) -> str:
    return settings.RELEVO_BASE_URL.rstrip("/") + path


def report_context(report: Report) -> dict:
    """Everything a representative needs to answer, for the email and the portal alike."""
    conversation = Conversation.objects.select_related("agent__user", "visitor", "client").get(
        pk=report.conversation_id
    )
    escalations = list(Escalation.objects.filter(conversation_id=conversation.pk).order_by("created_at"))
    return {
        "report": report,
        "conversation": conversation,
        "agent_name": conversation.agent.display_name if conversation.agent else "",
        "escalations": excerpts_of(escalations),
        "feedback": list(Feedback.objects.filter(conversation_id=conversation.pk).order_by("created_at")),
        "calls": calls_of(conversation.pk),
        "rating": Rating.objects.filter(conversation_id=conversation.pk).first(),
        "url": absolute(reverse("portal:report", args=[report.pk])),
    }


def escalation_url(escalation: Escalation) -> str:
    """Its report's page; the portal's list while the chat is still going (no report yet)."""
    report_id = Report.objects.filter(conversation_id=escalation.conversation_id).values_list("pk", flat=True).first()
    return absolute(reverse("portal:report", args=[report_id]) if report_id else reverse("portal:portal"))


def digest_context(delivery: Delivery, days: int) -> dict:
    until = delivery.created_at
    since = until - timedelta(days=days)
    client_id = delivery.client_id
    return {
        "since": since,
        "until": until,
        "reports": list(Report.objects.filter(client_id=client_id, created_at__range=(since, until))),
        "open_escalations": list(
            Escalation.objects.filter(client_id=client_id, created_at__lte=until)
            .exclude(status=EscalationStatus.ANSWERED)
            .order_by("created_at")[:100]
        ),
        "feedback": list(Feedback.objects.filter(client_id=client_id, created_at__range=(since, until))),
        "portal_url": absolute(reverse("portal:portal")),
    }


def context_for(group: list[Delivery]) -> tuple[str, dict]:
    """The template triple's name and what it shows."""
    first = group[0]
    context = {"client": first.client, "delivery": first}
    if first.kind == DeliveryKind.REPORT:
        reports = [report_context(d.report) for d in group]
        context.update(reports=reports, is_urgent=any(r["report"].is_urgent for r in reports))
        return "emails/report", context
    if first.kind == DeliveryKind.REMINDER:
        context.update(escalation=first.escalation, url=escalation_url(first.escalation))
        return "emails/reminder", context
    if first.kind == DeliveryKind.DAILY_DIGEST:
        return "emails/daily_digest", {**context, **digest_context(first, days=1)}
    if first.kind == DeliveryKind.WEEKLY_FEEDBACK:
        return "emails/weekly_feedback", {**context, **digest_context(first, days=7)}
    if first.kind == DeliveryKind.ANSWER:
        context.update(escalation=first.escalation)
        return "emails/answer", context
    if first.kind in (DeliveryKind.LEAD, DeliveryKind.UNDELIVERABLE_LEAD):
        return lead_email(first, context)
    if first.kind == DeliveryKind.CALLBACK:
        page = (
            "portal:callbacks"
            if first.callback.handled_by == CallbackHandler.CLIENT
            else "admin:chats_callbackrequest_changelist"
        )
        context.update(callback=first.callback, url=absolute(reverse(page)))
        return "emails/callback_reminder", context
    raise ValueError(f"no email for delivery kind {first.kind!r}")


def lead_email(delivery: Delivery, context: dict) -> tuple[str, dict]:
    """A lead (or an offline message, the form before leads) for the client, or for the agency when
    it reached nobody there."""
    if delivery.kind == DeliveryKind.LEAD and delivery.lead_id:
        context.update(lead=delivery.lead, url=absolute(reverse("portal:leads")))
        return "emails/lead", context
    if delivery.kind == DeliveryKind.LEAD:
        context.update(offline_message=delivery.offline_message)
        return "clients/email/offline_message", context
    if delivery.lead_id:
        url = reverse("admin:chats_lead_change", args=[delivery.lead_id])
        context.update(offline_message=delivery.lead, url=absolute(url))
    else:
        url = reverse("admin:clients_offlinemessage_change", args=[delivery.offline_message_id])
        context.update(offline_message=delivery.offline_message, url=absolute(url))
    return "emails/undeliverable_lead", context


def reply_to_of(delivery: Delivery) -> str | None:
    """Answers go to whoever can act: the representative who answered, the visitor who left a lead."""
    if delivery.kind == DeliveryKind.ANSWER and delivery.escalation.answered_by_id:
        return delivery.escalation.answered_by.email or None
    if delivery.kind == DeliveryKind.LEAD and delivery.lead_id:
        return delivery.lead.email or None
    if delivery.kind == DeliveryKind.LEAD:
        return delivery.offline_message.email
    return None


def compose(group: list[Delivery]) -> OutboundEmail:
    """The email for one delivery (or one recipient's batch of reports)."""
    first = group[0]
    name, context = context_for(group)
    return email_from_templates(
        name,
        context,
        language=first.language,
        to=first.address,
        reply_to=reply_to_of(first),
        message_id=first.message_id if len(group) == 1 else None,
    )


def email_from_templates(name: str, context: dict, *, language: str, **envelope) -> OutboundEmail:
    """An email from the template triple `name`_subject.txt, `name`.txt and `name`.html, rendered in
    `language` (the subject on one line); `envelope` is the rest of OutboundEmail (to, reply_to…)."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
        text = render_to_string(f"{name}.txt", context)
        html = render_to_string(f"{name}.html", context)
    return OutboundEmail(subject=subject, text=text, html=html, **envelope)
