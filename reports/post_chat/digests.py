"""Periodic mail: reminders of unacknowledged escalations, daily digests, weekly feedback."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from clients.models import Representative
from reports.delivery import deliveries
from reports.models import (
    ClientReportSettings,
    DeliveryKind,
    Escalation,
    EscalationStatus,
    Feedback,
    Report,
)
from reports.selectors import recipients_for


def queue_reminders() -> int:
    """Remind subscribed representatives, once, of escalations nobody acknowledged in time."""
    now = timezone.now()
    candidates = list(
        Escalation.objects.filter(status=EscalationStatus.OPEN, reminded_at__isnull=True).values_list(
            "pk", "client_id", "created_at"
        )
    )
    hours = dict(
        ClientReportSettings.objects.filter(client_id__in={c for _, c, _ in candidates}).values_list(
            "client_id", "reminder_after_hours"
        )
    )
    due = [
        pk for pk, client_id, created_at in candidates if created_at <= now - timedelta(hours=hours.get(client_id, 4))
    ]
    return sum(queue_reminder(escalation_id=pk, now=now) for pk in due)


def queue_reminder(*, escalation_id: int, now) -> bool:
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update(skip_locked=True)
            .filter(pk=escalation_id, status=EscalationStatus.OPEN, reminded_at__isnull=True)
            .first()
        )
        if escalation is None:
            return False
        escalation.reminded_at = now
        escalation.save(update_fields=["reminded_at"])
        queued = [
            deliveries.queue_delivery(
                key=f"reminder:{escalation.pk}:user:{rep.user_id}",
                kind=DeliveryKind.REMINDER,
                client_id=escalation.client_id,
                address=rep.user.email,
                language=rep.language,
                user=rep.user,
                escalation=escalation,
            ).pk
            for rep in recipients_for(client_id=escalation.client_id, category=escalation.category)
        ]
        deliveries.send_on_commit(queued)
    return True


def email_recipients():
    return Representative.objects.select_related("user").filter(receives_emails=True).exclude(user__email="")


def queue_daily_digests(*, day: date | None = None) -> int:
    """One digest per representative whose client had reports yesterday or has open escalations."""
    day = day or timezone.localdate()
    since = timezone.now() - timedelta(days=1)
    busy_clients = set(Report.objects.filter(created_at__gte=since).values_list("client_id", flat=True)) | set(
        Escalation.objects.exclude(status=EscalationStatus.ANSWERED).values_list("client_id", flat=True)
    )
    return queue_digest(kind=DeliveryKind.DAILY_DIGEST, period=day.isoformat(), client_ids=busy_clients)


def queue_weekly_feedback(*, day: date | None = None) -> int:
    """One feedback digest per representative whose client got agent feedback in the last 7 days."""
    year, week, _weekday = (day or timezone.localdate()).isocalendar()
    since = timezone.now() - timedelta(days=7)
    clients = set(Feedback.objects.filter(created_at__gte=since).values_list("client_id", flat=True))
    return queue_digest(kind=DeliveryKind.WEEKLY_FEEDBACK, period=f"{year}-W{week:02d}", client_ids=clients)


def queue_digest(*, kind: str, period: str, client_ids: set[int]) -> int:
    with transaction.atomic():
        queued = [
            deliveries.queue_delivery(
                key=f"{kind}:{period}:user:{rep.user_id}",
                kind=kind,
                client_id=rep.client_id,
                address=rep.user.email,
                language=rep.language,
                user=rep.user,
            ).pk
            for rep in email_recipients().filter(client_id__in=client_ids)
        ]
        deliveries.send_on_commit(queued)
    return len(queued)
