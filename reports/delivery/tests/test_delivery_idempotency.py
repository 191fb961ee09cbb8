"""A delivery is sent at most once per recipient, however often tasks run, and failures are retried."""

from datetime import timedelta

from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone

from chats import services as chat_services
from reports import tasks
from reports.models import Delivery, DeliveryStatus, Report
from reports.tests.personas import escalate, make_representative


def closed_with_escalation(chat, ana, django_capture_on_commit_callbacks):
    escalate(chat, ana)
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    return Report.objects.get(conversation=chat.conversation)


def test_running_the_send_task_twice_sends_one_email_per_representative(
    chat, ana, owner, shop, django_capture_on_commit_callbacks
):
    make_representative("rita", shop)
    report = closed_with_escalation(chat, ana, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    ids = list(report.deliveries.values_list("pk", flat=True))
    assert tasks.send_deliveries(ids) == 0
    assert tasks.send_deliveries(ids + ids) == 0
    assert tasks.send_due_deliveries() == 0
    assert len(mail.outbox) == 2


def test_building_the_report_twice_keeps_one_report_and_one_delivery_each(
    chat, ana, owner, django_capture_on_commit_callbacks
):
    report = closed_with_escalation(chat, ana, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.build_report(chat.conversation.pk) == report.pk
    assert Report.objects.count() == 1 and Delivery.objects.count() == 1 and len(mail.outbox) == 1


def test_a_failing_backend_loses_nothing_it_retries_with_backoff_then_sends(
    chat, ana, owner, flaky_email, django_capture_on_commit_callbacks
):
    flaky_email.failures = 2
    report = closed_with_escalation(chat, ana, django_capture_on_commit_callbacks)
    delivery = report.deliveries.get()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(seconds=60)
    assert tasks.send_due_deliveries() == 0  # not due yet

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert tasks.send_due_deliveries() == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 2
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=110)  # doubled

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert tasks.send_due_deliveries() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at and len(mail.outbox) == 1


def test_a_permanent_error_fails_at_once_and_an_admin_can_retry(
    chat, ana, owner, flaky_email, admin_user, django_capture_on_commit_callbacks
):
    flaky_email.failures, flaky_email.permanent = 1, True
    report = closed_with_escalation(chat, ana, django_capture_on_commit_callbacks)
    delivery = report.deliveries.get()
    assert delivery.status == DeliveryStatus.FAILED and "refused" in delivery.last_error
    http = HttpClient()
    http.force_login(admin_user)
    assert "Failed" in http.get("/admin/reports/delivery/?status__exact=failed").content.decode()
    http.post("/admin/reports/delivery/", {"action": "retry_now", "_selected_action": [delivery.pk]})
    assert tasks.send_due_deliveries() == 1
    assert len(mail.outbox) == 1


def test_it_gives_up_after_the_last_attempt(
    chat, ana, owner, flaky_email, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_MAX_ATTEMPTS = 2
    flaky_email.failures = 5
    report = closed_with_escalation(chat, ana, django_capture_on_commit_callbacks)
    Delivery.objects.update(next_attempt_at=timezone.now())
    tasks.send_due_deliveries()
    delivery = report.deliveries.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    assert tasks.send_due_deliveries() == 0 and not mail.outbox


def test_a_row_being_sent_by_another_worker_is_not_sent_again(chat, ana, owner, django_capture_on_commit_callbacks):
    report = closed_with_escalation(chat, ana, django_capture_on_commit_callbacks)
    delivery = report.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING)
    assert tasks.send_deliveries([delivery.pk]) == 0 and len(mail.outbox) == 1
