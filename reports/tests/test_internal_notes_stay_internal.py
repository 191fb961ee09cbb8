"""An internal note never leaves the agency: not in the visitor's export or emails, not in what the
client's people read (portal, API)."""

from django.core import mail
from django.urls import reverse

from chats import services as chat_services
from chats.models import SenderKind
from privacy import services as privacy
from reports.escalations import services
from reports.post_chat import services as post_chat
from reports.tests.personas import escalate, visitor_says

NOTE = "Internal: this customer abuses refunds"


def write_note(chat, agent):
    return chat_services.post_message(
        conversation_id=chat.conversation.pk,
        sender=SenderKind.AGENT,
        body=NOTE,
        client_id=None,
        agent=agent,
        internal=True,
    )


def test_an_export_for_the_visitor_leaves_internal_notes_out(chat, ana):
    visitor_says(chat.conversation.pk, "Where is my refund?")
    write_note(chat, ana)
    data = privacy.export_visitor_data(client_id=chat.conversation.client_id, email="maria@example.com")
    bodies = [m["body"] for m in data["conversations"][0]["messages"]]
    assert "Where is my refund?" in bodies
    assert NOTE not in bodies


def test_the_answer_emailed_to_the_visitor_holds_no_internal_note(chat, ana, owner, django_capture_on_commit_callbacks):
    seq = write_note(chat, ana).seq
    escalation = escalate(chat, ana, source_seq=seq)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_escalation(escalation_id=escalation.pk, representative=owner, answer="Yes, refunded.")
    to_visitor = [m for m in mail.outbox if m.to == ["maria@example.com"]]
    assert to_visitor
    for email in to_visitor:
        assert NOTE not in email.body and all(NOTE not in body for body, _ in email.alternatives)


def test_the_clients_people_never_read_internal_notes_in_the_portal_or_the_api(chat, ana, owner, client):
    """Notes are the agency's: the client's owner sees what the visitor saw, in the report page,
    the report's excerpt and the API's transcript."""
    visitor_says(chat.conversation.pk, "Where is my refund?")
    seq = write_note(chat, ana).seq
    escalate(chat, ana, source_seq=seq)
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    report = post_chat.build_report(conversation_id=chat.conversation.pk)
    client.force_login(owner.user)
    page = client.get(reverse("portal:report", args=[report.pk])).content.decode()
    assert "Where is my refund?" in page and NOTE not in page
    api = client.get(f"/api/v1/conversations/{chat.conversation.pk}/messages/").json()
    bodies = [m["body"] for m in api["results"]]
    assert "Where is my refund?" in bodies and NOTE not in bodies
    assert client.get("/api/v1/conversations/", {"search": "abuses refunds"}).json()["results"] == []


def test_agents_still_read_internal_notes_in_the_api(chat, ana, client):
    write_note(chat, ana)
    client.force_login(ana.user)
    api = client.get(f"/api/v1/conversations/{chat.conversation.pk}/messages/").json()
    assert [m["body"] for m in api["results"] if m["is_internal"]] == [NOTE]
