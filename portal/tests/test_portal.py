"""The client portal: representatives see, acknowledge and answer only their own client's escalations."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client as HttpClient

from chats import services as chat_services
from conftest import make_agent
from reports import selectors
from reports.models import Delivery, Escalation, EscalationStatus, Report
from reports.tests.personas import escalate, make_representative, visitor_says


def logged_in(representative) -> HttpClient:
    http = HttpClient()
    http.force_login(representative.user)
    return http


@pytest.fixture
def reported(chat, ana, owner, django_capture_on_commit_callbacks):
    seq = visitor_says(chat.conversation.pk, "<img src=x onerror=alert(1)> is it refundable?")
    escalation = escalate(chat, ana, source_seq=seq, question="Refund <b>after</b> 60 days?")
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    mail.outbox.clear()
    return escalation


@pytest.fixture
def foreign(other_shop, outsider, django_capture_on_commit_callbacks):
    """Client B's reported escalation."""
    agent = make_agent("bob", other_shop)
    chat = chat_services.start_conversation(
        client=other_shop, name="Zed", email="zed@example.com", visitor_connected=True
    )
    escalation = escalate(chat, agent, question="Secret question of B")
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=agent)
    mail.outbox.clear()
    return escalation


def test_it_lists_the_clients_escalations(owner, reported, foreign):
    page = logged_in(owner).get("/portal/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Refund &lt;b&gt;after&lt;/b&gt; 60 days?" in content
    assert "Secret question of B" not in content


def test_it_filters_and_searches(owner, reported, chat, ana):
    http = logged_in(owner)
    assert "60 days" in http.get("/portal/?status=open&category=refund&urgency=normal").content.decode()
    assert "60 days" not in http.get("/portal/?status=answered").content.decode()
    assert "60 days" not in http.get("/portal/?category=pricing").content.decode()
    assert "60 days" not in http.get("/portal/?urgency=urgent").content.decode()
    assert "60 days" not in http.get("/portal/?since=2999-01-01").content.decode()
    assert "60 days" in http.get("/portal/?q=maria@example").content.decode()
    assert "60 days" not in http.get("/portal/?q=nobody").content.decode()


def test_the_report_page_shows_the_transcript_escaped(owner, reported):
    report = Report.objects.get(conversation_id=reported.conversation_id)
    page = logged_in(owner).get(f"/portal/reports/{report.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "<img src=x" not in content and "&lt;img src=x onerror=alert(1)&gt;" in content
    assert "Refund &lt;b&gt;after&lt;/b&gt;" in content
    assert logged_in(owner).get("/portal/reports/").status_code == 200


def test_acknowledging_records_who_and_when(owner, reported):
    response = logged_in(owner).post(f"/portal/escalations/{reported.pk}/acknowledge/")
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.status == EscalationStatus.ACKNOWLEDGED
    assert reported.acknowledged_by == owner.user and reported.acknowledged_at


def test_answering_emails_the_visitor_and_joins_their_history(
    owner, reported, chat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(owner).post(
            f"/portal/escalations/{reported.pk}/answer/", {"answer": "Yes, <i>within</i> 90 days."}
        )
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.status == EscalationStatus.ANSWERED and reported.answered_by == owner.user
    assert reported.acknowledged_at is not None
    assert [m.to for m in mail.outbox] == [["maria@example.com"]]
    email = mail.outbox[0]
    assert "Yes, <i>within</i> 90 days." in email.body and email.reply_to == ["olga@example.com"]
    assert "&lt;i&gt;within&lt;/i&gt;" in email.alternatives[0][0]
    returning = chat_services.start_conversation(
        client=chat.conversation.client, name="Maria", email="MARIA@example.com", visitor_connected=True
    )
    assert selectors.visitor_history(returning.conversation) == [reported]
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(owner).post(f"/portal/escalations/{reported.pk}/answer/", {"answer": "Again"})
    reported.refresh_from_db()
    assert reported.answer == "Yes, <i>within</i> 90 days." and len(mail.outbox) == 1


def test_an_answer_for_a_visitor_without_email_is_stored_and_not_sent(
    owner, shop, ana, django_capture_on_commit_callbacks
):
    chat = chat_services.start_conversation(client=shop, name="Anon", visitor_connected=True)
    escalation = escalate(chat, ana)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(owner).post(f"/portal/escalations/{escalation.pk}/answer/", {"answer": "Yes"})
    assert Escalation.objects.get(pk=escalation.pk).answer == "Yes"
    assert not Delivery.objects.filter(kind="answer").exists()


def test_an_email_the_visitor_typed_in_the_chat_is_used(owner, shop, ana, django_capture_on_commit_callbacks):
    chat = chat_services.start_conversation(client=shop, name="Anon", visitor_connected=True)
    escalation = escalate(chat, ana)
    visitor_says(chat.conversation.pk, "sure, it is anon@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(owner).post(f"/portal/escalations/{escalation.pk}/answer/", {"answer": "Yes"})
    assert [m.to for m in mail.outbox] == [["anon@example.org"]]


def test_another_clients_representative_can_neither_list_open_acknowledge_nor_answer(outsider, reported):
    http = logged_in(outsider)
    report = Report.objects.get(conversation_id=reported.conversation_id)
    assert "60 days" not in http.get("/portal/").content.decode()
    assert "60 days" not in http.get("/portal/?q=60").content.decode()
    assert f"/portal/reports/{report.pk}/" not in http.get("/portal/reports/").content.decode()
    assert http.get(f"/portal/reports/{report.pk}/").status_code == 404
    assert http.post(f"/portal/escalations/{reported.pk}/acknowledge/").status_code == 404
    assert http.post(f"/portal/escalations/{reported.pk}/answer/", {"answer": "Hijack"}).status_code == 404
    reported.refresh_from_db()
    assert reported.status == EscalationStatus.OPEN and reported.answer == "" and not mail.outbox


def test_users_who_are_not_representatives_are_refused(db, ana, reported):
    assert HttpClient().get("/portal/").status_code == 302  # to the login page
    agent_http = HttpClient()
    agent_http.force_login(ana.user)
    assert agent_http.get("/portal/").status_code == 403
    stranger = get_user_model().objects.create_user("stranger", password="pw")
    http = HttpClient()
    http.force_login(stranger)
    assert http.get("/portal/").status_code == 403
    assert http.post(f"/portal/escalations/{reported.pk}/acknowledge/").status_code == 403


def test_a_teammate_of_the_same_client_can_answer(shop, reported):
    teammate = make_representative("tina", shop, categories=["order"])
    assert logged_in(teammate).post(f"/portal/escalations/{reported.pk}/acknowledge/").status_code == 302


def test_the_redirect_after_an_action_stays_on_this_site(owner, reported):
    response = logged_in(owner).post(
        f"/portal/escalations/{reported.pk}/acknowledge/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/portal/"
