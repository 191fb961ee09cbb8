"""Beat jobs: reminders of unacknowledged escalations, the daily digest and the weekly feedback."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from reports import tasks
from reports.escalations import services
from reports.models import ClientReportSettings, Delivery, Escalation
from reports.tests.personas import escalate, make_representative


def age(escalation, hours: float) -> None:
    Escalation.objects.filter(pk=escalation.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_an_escalation_unacknowledged_past_the_clients_hours_is_reminded_once(
    chat, ana, owner, django_capture_on_commit_callbacks
):
    escalation = escalate(chat, ana, question="Still waiting?")
    age(escalation, 3.9)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_escalation_reminders() == 0
    age(escalation, 4.1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_escalation_reminders() == 1
        assert tasks.send_escalation_reminders() == 0
    assert len(mail.outbox) == 1 and "Still waiting?" in mail.outbox[0].body


def test_the_client_sets_the_reminder_delay(chat, ana, owner, shop, django_capture_on_commit_callbacks):
    ClientReportSettings.objects.create(client=shop, reminder_after_hours=1)
    age(escalate(chat, ana), 1.5)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_escalation_reminders() == 1


def test_an_acknowledged_escalation_is_not_reminded(chat, ana, owner, django_capture_on_commit_callbacks):
    escalation = escalate(chat, ana)
    services.acknowledge_escalation(escalation_id=escalation.pk, representative=owner)
    age(escalation, 10)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_escalation_reminders() == 0
    assert not mail.outbox


def test_the_daily_digest_goes_once_per_representative_per_day(
    chat, ana, owner, shop, outsider, django_capture_on_commit_callbacks
):
    make_representative("rita", shop, categories=["order"])
    escalate(chat, ana, question="Open question")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests() == 2
        tasks.send_daily_digests()
    assert sorted(m.to[0] for m in mail.outbox) == ["olga@example.com", "rita@example.com"]
    assert "Open question" in mail.outbox[0].body
    assert Delivery.objects.filter(kind="daily_digest").count() == 2


def test_the_weekly_feedback_digest_carries_the_agents_feedback(chat, ana, owner, django_capture_on_commit_callbacks):
    services.record_feedback(
        conversation_id=chat.conversation.pk, agent=ana, kind="complaint", text="Shipping <costs> too much"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_feedback() == 1
        assert tasks.send_weekly_feedback() == 1  # same row found again, not sent again
    assert len(mail.outbox) == 1
    assert "Shipping <costs> too much" in mail.outbox[0].body
    assert "Shipping &lt;costs&gt; too much" in mail.outbox[0].alternatives[0][0]
