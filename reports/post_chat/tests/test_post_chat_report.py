"""Closing a chat with escalations or feedback emails a report to the subscribed representatives."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone

from chats import services as chat_services
from chats.models import Conversation, ConversationStatus
from reports import tasks
from reports.escalations import services
from reports.models import ClientReportSettings, Delivery, DeliveryStatus, Report
from reports.tests.personas import escalate, make_representative, visitor_says


def close(chat, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=agent)
    return callbacks


def test_closing_a_chat_with_an_escalation_emails_the_report(chat, ana, owner, django_capture_on_commit_callbacks):
    seq = visitor_says(chat.conversation.pk, "Can I return it after 60 days?")
    escalate(chat, ana, source_seq=seq)
    close(chat, ana, django_capture_on_commit_callbacks)
    report = Report.objects.get(conversation=chat.conversation)
    assert report.visitor_email == "maria@example.com" and not report.is_undeliverable
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["olga@example.com"]
    assert "Shop" in email.subject
    assert "Can I return it after 60 days?" in email.body and "Ana" in email.body
    assert f"/portal/reports/{report.pk}/" in email.body
    html = email.alternatives[0][0]
    assert "Can I return it after 60 days?" in html
    assert Delivery.objects.get(report=report).status == DeliveryStatus.SENT


def test_a_chat_with_nothing_to_report_builds_nothing(chat, ana, owner, django_capture_on_commit_callbacks):
    close(chat, ana, django_capture_on_commit_callbacks)
    assert not Report.objects.exists() and not mail.outbox


def test_feedback_alone_is_reported_to_everyone_who_gets_emails(
    chat, ana, owner, shop, django_capture_on_commit_callbacks
):
    make_representative("rita", shop, categories=["order"])
    services.record_feedback(conversation_id=chat.conversation.pk, agent=ana, kind="idea", text="Gift cards")
    close(chat, ana, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["olga@example.com", "rita@example.com"]
    assert "Gift cards" in mail.outbox[0].body


def test_only_representatives_subscribed_to_the_category_get_it(chat, ana, shop, django_capture_on_commit_callbacks):
    make_representative("rita", shop, categories=["refund"], language="es")
    make_representative("paco", shop, categories=["pricing"])
    make_representative("mute", shop, categories=["refund"], receives_emails=False)
    escalate(chat, ana, category="refund")
    close(chat, ana, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["rita@example.com"]]
    assert Delivery.objects.get().language == "es"


def test_a_category_nobody_receives_flags_the_report_for_the_agency(
    chat, ana, shop, admin_user, django_capture_on_commit_callbacks
):
    make_representative("paco", shop, categories=["pricing"])
    escalate(chat, ana, category="complaint", question="Broken on arrival")
    close(chat, ana, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.is_undeliverable and report.undeliverable_categories == ["complaint"]
    assert not mail.outbox
    http = HttpClient()
    http.force_login(admin_user)
    page = http.get("/admin/reports/report/?is_undeliverable__exact=1")
    assert page.status_code == 200 and str(report) in page.content.decode()


def test_html_in_messages_is_escaped_in_the_email(chat, ana, owner, django_capture_on_commit_callbacks):
    seq = visitor_says(chat.conversation.pk, "<script>alert(1)</script> refund?")
    escalate(chat, ana, source_seq=seq, question="<b>refund</b>?")
    close(chat, ana, django_capture_on_commit_callbacks)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>refund</b>" not in html and "&lt;b&gt;refund&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" in mail.outbox[0].body  # plain text stays plain


def test_urgent_reports_go_at_once_and_normal_ones_wait_for_the_hourly_digest(
    shop, ana, owner, django_capture_on_commit_callbacks
):
    ClientReportSettings.objects.create(client=shop, normal_reports="hourly")
    chats = [
        chat_services.start_conversation(client=shop, name=f"V{i}", email=f"v{i}@example.com", visitor_connected=True)
        for i in range(3)
    ]
    escalate(chats[0], ana, urgency="urgent", question="Urgent one")
    escalate(chats[1], ana, question="Normal one")
    escalate(chats[2], ana, question="Normal two")
    for chat in chats:
        close(chat, ana, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and "Urgent one" in mail.outbox[0].body
    assert tasks.send_due_deliveries() == 0  # not yet the full hour
    Delivery.objects.filter(is_batched=True).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert tasks.send_due_deliveries() == 2
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert "Normal one" in digest.body and "Normal two" in digest.body and "2 chat reports" in digest.subject


def test_a_chat_whose_visitor_left_is_closed_by_the_idle_sweep_and_reported(
    chat, ana, owner, settings, django_capture_on_commit_callbacks
):
    settings.CHAT_VISITOR_IDLE_CLOSE_SECONDS = 600
    escalate(chat, ana)
    Conversation.objects.filter(pk=chat.conversation.pk).update(
        visitor_last_seen_at=timezone.now() - timedelta(seconds=601)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert chat_services.sweep_idle_conversations() == 1
    assert Conversation.objects.get(pk=chat.conversation.pk).status == ConversationStatus.CLOSED
    assert Report.objects.filter(conversation=chat.conversation).exists() and len(mail.outbox) == 1


def test_the_idle_sweep_leaves_present_visitors_alone(chat, ana):
    assert chat_services.sweep_idle_conversations() == 0
    assert Conversation.objects.get(pk=chat.conversation.pk).status == ConversationStatus.ACTIVE


@pytest.mark.parametrize("language", ["en", "es", "pl"])
def test_the_email_renders_in_each_representatives_language(
    chat, ana, shop, language, django_capture_on_commit_callbacks
):
    make_representative("rep", shop, language=language)
    escalate(chat, ana)
    close(chat, ana, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject


def test_a_report_whose_hook_was_lost_is_built_by_the_safety_sweep(
    chat, ana, owner, django_capture_on_commit_callbacks
):
    escalate(chat, ana)
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)  # hooks never run
    Conversation.objects.filter(pk=chat.conversation.pk).update(closed_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.build_missing_reports() == 1
        assert tasks.build_missing_reports() == 0
    assert len(mail.outbox) == 1
