"""A chat's calls appear in its post-chat report (email and portal) and in the client's analytics."""

from datetime import timedelta

from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone, translation

from agency.tests.api_personas import api_as, make_personas
from chats import services as chat_services
from chats.calls import services as calls
from chats.calls.models import Call, CallbackRequest, CallStatus
from chats.calls.selectors import call_figures
from privacy import services as privacy
from reports.models import Report
from reports.tests.personas import escalate, make_representative, visitor_says


def connected_call(chat, agent, kind="video") -> Call:
    call = calls.offer_call(conversation_id=chat.conversation.pk, agent=agent, kind=kind)
    calls.answer_call(conversation_id=chat.conversation.pk, call_id=call.pk, accept=True)
    calls.mark_connected(conversation_id=chat.conversation.pk, call_id=call.pk)
    Call.objects.filter(pk=call.pk).update(connected_at=timezone.now() - timedelta(seconds=125))
    return calls.hang_up(conversation_id=chat.conversation.pk, call_id=call.pk)


def test_the_report_lists_the_chats_calls(chat, ana, owner, django_capture_on_commit_callbacks):
    connected_call(chat, ana)
    escalate(chat, ana, source_seq=visitor_says(chat.conversation.pk, "Can I return it after 60 days?"))
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    [email] = mail.outbox
    assert "Calls:" in email.body and "Video, Ended, 2:05" in email.body
    assert "2:05" in email.alternatives[0][0]
    http = HttpClient()
    http.force_login(owner.user)
    page = http.get(f"/portal/reports/{Report.objects.get().pk}/").content.decode()
    assert "Calls" in page and "2:05" in page
    assert "The video call ended after 2:05." in page  # the transcript's system line


def test_a_spanish_or_polish_report_agrees_the_ended_call_in_gender(chat, ana, django_capture_on_commit_callbacks):
    """ "Llamada" is feminine and "połączenie" neuter: "Vídeo, Finalizada", "Wideo, Zakończone"
    (the console's heading of ended chats keeps its own words)."""
    connected_call(chat, ana)
    escalate(chat, ana, source_seq=visitor_says(chat.conversation.pk, "Can I return it after 60 days?"))
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    report = Report.objects.get()
    for language, ended in (("es", "Finalizada"), ("pl", "Zakończone")):
        owner = make_representative(f"owner-{language}", chat.conversation.client, role="owner", language=language)
        http = HttpClient()
        http.force_login(owner.user)
        page = http.get(f"/portal/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f"· {ended}" in page
        with translation.override(language):
            assert str(CallStatus.ENDED.label) == ended


def test_the_clients_call_figures_count_calls_offered_accepted_and_their_average_length(chat, ana):
    connected_call(chat, ana)
    declined = calls.offer_call(conversation_id=chat.conversation.pk, agent=ana, kind="voice")
    calls.answer_call(conversation_id=chat.conversation.pk, call_id=declined.pk, accept=False)
    now = timezone.now()
    figures = call_figures(
        client_id=chat.conversation.client_id, start=now - timedelta(days=1), end=now + timedelta(hours=1)
    )
    assert figures == {
        "offered": 2,
        "accepted": 1,
        "declined": 1,
        "connected": 1,
        "avg_duration_seconds": figures["avg_duration_seconds"],
        "accepted_share": 0.5,
    }
    assert 124 <= figures["avg_duration_seconds"] <= 127


def test_the_api_reports_a_clients_calls_and_only_its_own(db):
    personas = make_personas()
    Call.objects.create(conversation=personas.b.conversation, agent=personas.b.agent, kind="voice")
    today = timezone.now().date()
    period = f"start={today - timedelta(days=30)}&end={today + timedelta(days=2)}T00:00:00Z"
    body = api_as(personas.a.owner).get(f"/api/v1/analytics/clients/{personas.a.client.pk}/kpis/?{period}").json()
    assert body["kpis"]["calls"]["offered"] == 0
    refused = api_as(personas.a.owner).get(f"/api/v1/analytics/clients/{personas.b.client.pk}/kpis/?{period}")
    assert refused.status_code in (403, 404)


def test_a_visitors_export_holds_their_calls_and_callback_requests_and_erasure_deletes_them(chat, ana):
    connected_call(chat, ana)
    CallbackRequest.objects.create(
        client_id=chat.conversation.client_id,
        conversation=chat.conversation,
        phone="+34 600 123 456",
        preferred_at=timezone.now(),
        handled_by="agency",
    )
    data = privacy.export_visitor_data(client_id=chat.conversation.client_id, email="maria@example.com")
    assert [(c["kind"], c["status"]) for c in data["calls"]] == [("video", "ended")]
    assert [r["phone"] for r in data["callback_requests"]] == ["+34 600 123 456"]
    counts = privacy.erase_visitor_data(
        client_id=chat.conversation.client_id, email="maria@example.com", requested_by="test"
    )
    assert counts["callback_requests"] == 1
    assert not CallbackRequest.objects.exists() and not Call.objects.exists()
