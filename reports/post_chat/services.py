"""The post-chat report: built once when a conversation with escalations or feedback closes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chats.models import Conversation
from reports import webhook_events
from reports.delivery import deliveries
from reports.models import (
    ClientReportSettings,
    DeliveryKind,
    DeliveryStatus,
    Escalation,
    Feedback,
    NormalReportTiming,
    Report,
)
from reports.selectors import recipients_for, visitor_contact


def has_anything_to_report(conversation_id: int) -> bool:
    return (
        Escalation.objects.filter(conversation_id=conversation_id).exists()
        or Feedback.objects.filter(conversation_id=conversation_id).exists()
    )


def build_missing_reports(*, settle_seconds: int = 120, lookback_days: int = 2) -> int:
    """Safety net: build reports whose after-close hook was lost (the broker was down)."""
    now = timezone.now()
    missing = (
        Conversation.objects.filter(
            closed_at__range=(now - timedelta(days=lookback_days), now - timedelta(seconds=settle_seconds)),
            report__isnull=True,
        )
        .filter(Q(escalations__isnull=False) | Q(feedback__isnull=False))
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(build_report(conversation_id=pk) is not None for pk in list(missing))


def next_full_hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def build_report(*, conversation_id: int) -> Report | None:
    """Create the report of a closed conversation and queue one delivery per representative.

    Idempotent: a second run finds the report and its rows, and only re-rings
    the sender for rows still queued.
    """
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("visitor")
            .filter(pk=conversation_id)
            .first()
        )
        if conversation is None or conversation.is_open or not has_anything_to_report(conversation_id):
            return None
        report = Report.objects.filter(conversation=conversation).first()
        if report is None:
            report = create_report(conversation)
            webhook_events.emit_report_sent(report)
        due_now = list(
            report.deliveries.filter(status=DeliveryStatus.QUEUED, is_batched=False).values_list("pk", flat=True)
        )
        deliveries.send_on_commit(due_now)
    return report


def create_report(conversation: Conversation) -> Report:
    escalations = list(Escalation.objects.filter(conversation=conversation))
    is_urgent = any(escalation.is_urgent for escalation in escalations)
    categories = sorted({escalation.category for escalation in escalations}) or [None]
    recipients, nobody_for = {}, []
    for category in categories:
        found = recipients_for(client_id=conversation.client_id, category=category)
        if not found:
            nobody_for.append(category or "feedback")
        recipients.update({rep.pk: rep for rep in found})
    report = Report.objects.create(
        conversation=conversation,
        client_id=conversation.client_id,
        visitor_name=conversation.visitor.name,
        visitor_email=visitor_contact(conversation),
        is_urgent=is_urgent,
        is_undeliverable=bool(nobody_for),
        undeliverable_categories=nobody_for,
    )
    is_batched = not is_urgent and (
        ClientReportSettings.of(conversation.client_id).normal_reports == NormalReportTiming.HOURLY
    )
    not_before = next_full_hour(timezone.now()) if is_batched else None
    for rep in recipients.values():
        deliveries.queue_delivery(
            key=f"report:{report.pk}:user:{rep.user_id}",
            kind=DeliveryKind.REPORT,
            client_id=report.client_id,
            address=rep.user.email,
            language=rep.language,
            user=rep.user,
            report=report,
            is_batched=is_batched,
            not_before=not_before,
        )
    return report
