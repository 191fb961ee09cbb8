"""Every chat of a client opens as a transcript, escalated or not: from the portal's "All chats", its
search and ratings, the REST API and the console's search. The client's people never read internal
notes; another client's owner gets a 404 everywhere (chats.history)."""

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from agency.tests.api_personas import api_as
from chats import services as chat_services
from chats.calls.models import Call, CallStatus
from chats.models import SenderKind
from chats.ratings.models import Rating
from chats.teamwork.models import Tag
from conftest import make_agent
from reports.models import Report
from reports.post_chat import services as post_chat
from reports.tests.personas import escalate, logged_in, make_representative, visitor_says

NOTE = "Internal: this customer abuses refunds"
QUESTION = "Do you deliver parcels to Valencia?"


@pytest.fixture
def unescalated_chat(chat, ana):
    """A closed chat with no escalation (so no report): a question, a reply, a note, a rating, a call, a tag."""
    conversation_id = chat.conversation.pk
    visitor_says(conversation_id, QUESTION)
    chat_services.post_message(
        conversation_id=conversation_id, sender=SenderKind.AGENT, body="Yes, in two days.", client_id=None, agent=ana
    )
    chat_services.post_message(
        conversation_id=conversation_id, sender=SenderKind.AGENT, body=NOTE, client_id=None, agent=ana, internal=True
    )
    now = timezone.now()
    Call.objects.create(
        conversation_id=conversation_id,
        agent=ana,
        kind="voice",
        status=CallStatus.ENDED,
        answered_at=now,
        connected_at=now - timedelta(seconds=65),
        ended_at=now,
        ended_by="agent",
    )
    chat_services.close_conversation(conversation_id=conversation_id, agent=ana)
    Rating.objects.create(
        conversation_id=conversation_id,
        client_id=chat.conversation.client_id,
        agent=ana,
        scale="five",
        score=4,
        comment="Quick and kind",
    )
    Tag.objects.create(client_id=chat.conversation.client_id, name="delivery").conversations.add(conversation_id)
    assert not Report.objects.filter(conversation_id=conversation_id).exists()
    return chat.conversation


def test_the_owner_opens_a_chat_from_all_chats_and_reads_its_transcript(unescalated_chat, owner):
    http = logged_in(owner.user)
    listing = http.get("/portal/conversations/").content.decode()
    link = f'href="/portal/chats/{unescalated_chat.pk}/"'
    assert link in listing
    page = http.get(f"/portal/chats/{unescalated_chat.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert QUESTION in content and "Yes, in two days." in content
    assert NOTE not in content and "abuses refunds" not in content
    assert "4/5" in content and "Quick and kind" in content  # the rating
    assert "1:05" in content  # the call's length
    assert "delivery" in content  # the tag


def test_the_search_and_the_latest_ratings_lead_to_the_chat(unescalated_chat, owner):
    http = logged_in(owner.user)
    found = http.get("/portal/quality/", {"q": "Valencia"}).content.decode()
    assert f'href="/portal/chats/{unescalated_chat.pk}/#m' in found
    assert http.get("/portal/quality/", {"q": "abuses"}).content.decode().count("/portal/chats/") == 1  # the rating's
    assert "No message matches." in http.get("/portal/quality/", {"q": "abuses"}).content.decode()


def test_a_representative_of_the_client_reads_it_too(unescalated_chat, shop):
    representative = make_representative("rita", shop)
    content = logged_in(representative.user).get(f"/portal/chats/{unescalated_chat.pk}/").content.decode()
    assert QUESTION in content and NOTE not in content


def test_the_api_gives_the_whole_transcript_without_notes_to_the_clients_people(unescalated_chat, owner):
    body = api_as(owner.user).get(f"/api/v1/conversations/{unescalated_chat.pk}/transcript/").json()
    assert body["conversation"]["id"] == unescalated_chat.pk
    bodies = [message["body"] for message in body["messages"]]
    assert QUESTION in bodies and NOTE not in bodies
    assert [message["seq"] for message in body["messages"]] == sorted(message["seq"] for message in body["messages"])
    assert body["rating"]["score"] == 4 and body["rating"]["comment"] == "Quick and kind"
    assert [(call["kind"], call["duration_seconds"]) for call in body["calls"]] == [("voice", 65)]
    assert body["tags"] == ["delivery"]


def test_agents_read_the_notes_in_the_api_and_the_console_history(unescalated_chat, ana):
    body = api_as(ana.user).get(f"/api/v1/conversations/{unescalated_chat.pk}/transcript/").json()
    assert NOTE in [message["body"] for message in body["messages"] if message["is_internal"]]
    page = logged_in(ana.user).get(f"/console/chats/{unescalated_chat.pk}/").content.decode()
    assert QUESTION in page and NOTE in page and "Quick and kind" in page


def test_a_console_search_result_links_to_the_chats_history(unescalated_chat, ana):
    http = logged_in(ana.user)
    [result] = http.get("/console/api/search/", {"q": "Valencia"}).json()["results"]
    assert result["url"] == f"/console/chats/{unescalated_chat.pk}/#m{result['seq']}"
    page = http.get(result["url"].split("#")[0])
    assert page.status_code == 200 and QUESTION in page.content.decode()


def test_another_clients_owner_or_agent_gets_a_404_everywhere(unescalated_chat, outsider, other_shop):
    stranger_agent = make_agent("zoe", other_shop)
    # The console is for agents: a client's owner gets its refusal before any chat is looked up.
    for user, console_status in ((outsider.user, 403), (stranger_agent.user, 404)):
        http = logged_in(user)
        assert http.get(f"/portal/chats/{unescalated_chat.pk}/").status_code in (403, 404)
        assert http.get(f"/console/chats/{unescalated_chat.pk}/").status_code == console_status
        assert api_as(user).get(f"/api/v1/conversations/{unescalated_chat.pk}/transcript/").status_code == 404
    assert logged_in(outsider.user).get(f"/portal/chats/{unescalated_chat.pk}/").status_code == 404


def test_a_chat_that_does_not_exist_is_a_404_and_a_stranger_is_sent_to_log_in(unescalated_chat, owner):
    assert logged_in(owner.user).get("/portal/chats/999999/").status_code == 404
    assert api_as(owner.user).get("/api/v1/conversations/999999/transcript/").status_code == 404
    anonymous = HttpClient().get(f"/console/chats/{unescalated_chat.pk}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_an_escalated_chats_page_links_to_its_report(chat, ana, owner):
    escalate(chat, ana, source_seq=visitor_says(chat.conversation.pk, QUESTION))
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    report = Report.objects.filter(conversation_id=chat.conversation.pk).first() or post_chat.build_report(
        conversation_id=chat.conversation.pk
    )
    page = logged_in(owner.user).get(f"/portal/chats/{chat.conversation.pk}/").content.decode()
    assert f'href="/portal/reports/{report.pk}/"' in page
