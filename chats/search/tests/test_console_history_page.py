"""`/console/chats/<id>/`, where a console search result leads, is a console page: agents only, with
the console's own refusal, and then only the chats of the clients the agent serves (chats.history)."""

from django.test import Client as HttpClient

from chats import services as chat_services
from chats.models import SenderKind
from clients.models import RepresentativeRole
from conftest import make_agent
from reports.tests.personas import logged_in, make_representative, visitor_says

QUESTION = "Do you deliver parcels to Valencia?"
NOTE = "Internal: this customer abuses refunds"


def page_of(chat) -> str:
    return f"/console/chats/{chat.conversation.pk}/"


def chat_with_a_note(chat, ana):
    visitor_says(chat.conversation.pk, QUESTION)
    chat_services.post_message(
        conversation_id=chat.conversation.pk,
        sender=SenderKind.AGENT,
        body=NOTE,
        client_id=None,
        agent=ana,
        internal=True,
    )
    return chat


def test_the_agent_serving_the_client_reads_the_whole_chat_notes_included(chat, ana):
    response = logged_in(ana.user).get(page_of(chat_with_a_note(chat, ana)))
    assert response.status_code == 200
    assert QUESTION in response.content.decode() and NOTE in response.content.decode()


def test_a_representative_of_the_same_client_gets_the_consoles_refusal(chat, ana, shop):
    chat_with_a_note(chat, ana)
    for role in (RepresentativeRole.REPRESENTATIVE, RepresentativeRole.OWNER):
        person = make_representative(f"rita-{role}", shop, role=role)
        response = logged_in(person.user).get(page_of(chat))
        assert response.status_code == 403
        content = response.content.decode()
        assert "This console is for agents" in content
        assert QUESTION not in content and NOTE not in content


def test_an_agent_of_another_client_finds_nothing(chat, ana, other_shop):
    chat_with_a_note(chat, ana)
    stranger = make_agent("zoe", other_shop)
    response = logged_in(stranger.user).get(page_of(chat))
    assert response.status_code == 404
    assert QUESTION not in response.content.decode()


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(chat):
    response = HttpClient().get(page_of(chat))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
