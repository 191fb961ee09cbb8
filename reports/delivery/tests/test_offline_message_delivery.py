"""Leads (offline messages) go out through the delivery engine: one row per representative, retried
on SMTP errors, never sent twice; a client nobody receives emails for flags the lead and tells the admins."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone

from agency import roles
from clients import services as clients_services
from clients.models import OfflineMessage
from clients.tasks import notify_representatives_of_offline_message
from reports import tasks
from reports.models import Delivery, DeliveryKind, DeliveryStatus
from reports.tests.personas import make_representative


def leave_lead(shop, django_capture_on_commit_callbacks, message="Do you ship to Poland?") -> OfflineMessage:
    with django_capture_on_commit_callbacks(execute=True):
        return clients_services.leave_offline_message(
            client=shop, name="Maria", email="maria@example.com", message=message, consent=True
        )


def agency_admin(username: str):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.com", password="pw", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=roles.AGENCY_ADMIN)[0])
    return user


def make_due(lead: OfflineMessage) -> None:
    Delivery.objects.filter(offline_message=lead).update(next_attempt_at=timezone.now())


def test_an_smtp_error_loses_no_lead_it_is_retried_and_each_representative_gets_it_once(
    shop, flaky_email, django_capture_on_commit_callbacks
):
    make_representative("olga", shop, language="pl")
    make_representative("rita", shop)
    flaky_email.failures = 1
    lead = leave_lead(shop, django_capture_on_commit_callbacks)

    rows = list(lead.deliveries.order_by("pk"))
    assert [row.kind for row in rows] == [DeliveryKind.LEAD, DeliveryKind.LEAD]
    assert sorted(row.status for row in rows) == [DeliveryStatus.RETRYING, DeliveryStatus.SENT]
    lead.refresh_from_db()
    assert lead.notified_at is not None and not lead.is_undeliverable

    make_due(lead)
    assert tasks.send_due_deliveries() == 1
    assert sorted(message.to[0] for message in mail.outbox) == ["olga@example.com", "rita@example.com"]
    assert all(
        message.reply_to == ["maria@example.com"] and "Do you ship to Poland?" in message.body
        for message in mail.outbox
    )
    assert {message.extra_headers["Message-ID"] for message in mail.outbox} == {row.message_id for row in rows}


def test_running_the_lead_tasks_again_sends_nothing_more(shop, django_capture_on_commit_callbacks):
    make_representative("olga", shop)
    lead = leave_lead(shop, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        tasks.deliver_offline_message(lead.pk)
        notify_representatives_of_offline_message(lead.pk)  # the task queued before leads were deliveries
    make_due(lead)
    assert tasks.send_due_deliveries() == 0
    assert tasks.deliver_missing_offline_messages() == 0
    assert len(mail.outbox) == 1 and lead.deliveries.count() == 1


def test_a_lead_nobody_receives_is_flagged_and_each_agency_admin_is_emailed_once(
    shop, admin_user, django_capture_on_commit_callbacks
):
    make_representative("quiet", shop, receives_emails=False)
    adam = agency_admin("adam")
    get_user_model().objects.create_user("bob", email="bob@example.com", password="pw")  # no role: not told

    lead = leave_lead(shop, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.deliver_offline_message(lead.pk)

    lead.refresh_from_db()
    assert lead.is_undeliverable and lead.notified_at is None
    assert sorted(message.to[0] for message in mail.outbox) == sorted([adam.email, admin_user.email])
    email = mail.outbox[0]
    assert "reached nobody" in email.subject and "Do you ship to Poland?" in email.body
    assert f"/admin/clients/offlinemessage/{lead.pk}/change/" in email.body

    http = HttpClient()
    http.force_login(admin_user)
    listed = http.get("/admin/clients/offlinemessage/?is_undeliverable__exact=1").content.decode()
    assert "maria@example.com" in listed


def test_a_lead_whose_announcement_was_lost_is_delivered_by_the_safety_net(shop, django_capture_on_commit_callbacks):
    make_representative("olga", shop)
    lead = OfflineMessage.objects.create(client=shop, email="lead@example.com", message="Hi")  # no hook ran
    OfflineMessage.objects.filter(pk=lead.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.deliver_missing_offline_messages() == 1
    assert [message.to for message in mail.outbox] == [["olga@example.com"]]
    assert tasks.deliver_missing_offline_messages() == 0


def test_a_lead_emailed_before_leads_were_deliveries_is_not_emailed_again(shop):
    make_representative("olga", shop)
    lead = OfflineMessage.objects.create(
        client=shop, email="lead@example.com", message="Hi", notified_at=timezone.now()
    )
    assert tasks.deliver_offline_message(lead.pk) == [] and not mail.outbox
