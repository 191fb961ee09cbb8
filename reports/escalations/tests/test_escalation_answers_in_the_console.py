"""The client's answer to an escalation reaches the agent who escalated: live on their socket, and in
the console's recent chats, which a reload finds again; other agents and clients are refused."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client as HttpClient

from chats import services as chat_services
from chats.models import SenderKind
from clients.models import RepresentativeRole
from conftest import make_agent, make_client, open_agent, receive_until
from reports.escalations import services
from reports.tests.personas import escalate, logged_in, make_representative, visitor_says


def answered_chat(shop, ana, owner):
    """Maria's chat, escalated by Ana, ended, then answered by the owner."""
    chat = chat_services.start_conversation(
        client=shop, name="Maria", email="maria@example.com", visitor_connected=True
    )
    visitor_says(chat.conversation.pk, "Can I return it after 60 days?")
    escalation = escalate(chat, ana, question="Returns after 60 days?")
    chat_services.post_message(
        conversation_id=chat.conversation.pk,
        sender=SenderKind.AGENT,
        body="Escalated: check the answer tomorrow",
        client_id=None,
        agent=ana,
        internal=True,
    )
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    services.answer_escalation(escalation_id=escalation.pk, representative=owner, answer="Yes, within 90 days.")
    return chat, escalation


@pytest.mark.django_db(transaction=True)
async def test_the_answer_reaches_the_escalating_agents_socket_after_commit():
    shop = await database_sync_to_async(make_client)("Shop")
    ana = await database_sync_to_async(make_agent)("ana", shop)
    owner = await database_sync_to_async(make_representative)("olga", shop, role=RepresentativeRole.OWNER)
    chat = await database_sync_to_async(chat_services.start_conversation)(
        client=shop, name="Maria", email="maria@example.com", visitor_connected=True
    )
    escalation = await database_sync_to_async(escalate)(chat, ana, question="Returns after 60 days?")
    console = await open_agent(ana)
    await receive_until(console, lambda f: f["type"] == "assigned")
    await database_sync_to_async(services.answer_escalation)(
        escalation_id=escalation.pk, representative=owner, answer="Yes, within 90 days."
    )
    frame = await receive_until(console, lambda f: f["type"] == "escalation_answered")
    assert frame["conversation"] == chat.conversation.pk
    assert (frame["escalation"]["id"], frame["escalation"]["status"], frame["escalation"]["answer"]) == (
        escalation.pk,
        "answered",
        "Yes, within 90 days.",
    )
    await console.disconnect()


def test_the_recent_chats_list_shows_the_answer_and_survives_a_reload(shop, ana, owner):
    chat, escalation = answered_chat(shop, ana, owner)
    for _reload in range(2):  # each a fresh request of a fresh page
        response = logged_in(ana.user).get("/console/api/recent-chats/")
        assert response.status_code == 200
        [listed] = response.json()["chats"]
        assert (listed["id"], listed["status"], listed["visitor"]["name"]) == (chat.conversation.pk, "closed", "Maria")
        assert listed["closed_at"]
        assert [(e["id"], e["status"], e["answer"]) for e in listed["escalations"]] == [
            (escalation.pk, "answered", "Yes, within 90 days.")
        ]


def test_a_recent_chat_opens_with_its_whole_history_internal_notes_included(shop, ana, owner):
    chat, _ = answered_chat(shop, ana, owner)
    response = logged_in(ana.user).get(f"/console/api/recent-chats/{chat.conversation.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["conversation"]["escalations"][0]["answer"] == "Yes, within 90 days."
    bodies = [m["body"] for m in data["messages"]]
    assert "Can I return it after 60 days?" in bodies
    notes = [m for m in data["messages"] if m.get("internal")]
    assert [m["body"] for m in notes] == ["Escalated: check the answer tomorrow"]
    assert [m["seq"] for m in data["messages"]] == list(range(1, len(bodies) + 1))


def test_other_agents_and_other_clients_chats_are_refused(shop, ana, owner, other_shop):
    chat, _ = answered_chat(shop, ana, owner)
    colleague = make_agent("bea", shop)  # serves the same client, never served this chat
    stranger = make_agent("bob", other_shop)
    detail = f"/console/api/recent-chats/{chat.conversation.pk}/"
    for agent in (colleague, stranger):
        assert logged_in(agent.user).get("/console/api/recent-chats/").json() == {"chats": []}
        response = logged_in(agent.user).get(detail)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    ana.clients.remove(shop)  # no longer serves the client: its chats are no longer hers to read
    assert logged_in(ana.user).get("/console/api/recent-chats/").json() == {"chats": []}
    assert logged_in(ana.user).get(detail).status_code == 403
    assert logged_in(owner.user).get("/console/api/recent-chats/").status_code == 403
    assert HttpClient().get(detail).status_code == 401
    ana.clients.add(shop)
    assert logged_in(ana.user).get("/console/api/recent-chats/999999/").status_code == 404
