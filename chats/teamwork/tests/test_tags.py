"""Tags from the client's list: set from the console during and after a chat, filtered in the API,
counted in analytics, edited by the client's owner in the portal; other tenants are refused."""

import datetime as dt

import pytest
from django.test import Client as HttpClient

from agency.tests.api_personas import api_as, make_personas
from chats.models import Conversation, ConversationStatus
from chats.teamwork.models import Tag
from chats.teamwork.tags import set_client_tags

TODAY = dt.date.today()
WHOLE_TIME = f"start={TODAY - dt.timedelta(days=30)}&end={TODAY + dt.timedelta(days=2)}T00:00:00Z"


@pytest.fixture
def personas(db):
    personas = make_personas()
    set_client_tags(client_id=personas.a.client.pk, names=["sale", "complaint"])
    set_client_tags(client_id=personas.b.client.pk, names=["sale"])
    return personas


def console_as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def tag_id(client, name):
    return Tag.objects.get(client=client, name=name).pk


def put_tags(http, conversation, tags):
    return http.put(
        f"/console/api/conversations/{conversation.pk}/tags/", {"tags": tags}, content_type="application/json"
    )


def test_the_agent_who_served_a_closed_chat_tags_it_from_the_clients_list(personas):
    a = personas.a
    http = console_as(a.agent.user)
    listed = http.get(f"/console/api/conversations/{a.conversation.pk}/tags/").json()
    assert [t["name"] for t in listed["available"]] == ["complaint", "sale"] and listed["tags"] == []
    response = put_tags(http, a.conversation, [tag_id(a.client, "sale")])
    assert response.status_code == 200
    assert response.json()["tags"] == [tag_id(a.client, "sale")]


def test_the_chats_agent_tags_it_while_it_is_going_on(personas):
    a = personas.a
    Conversation.objects.filter(pk=a.conversation.pk).update(status=ConversationStatus.ACTIVE)
    assert put_tags(console_as(a.agent.user), a.conversation, [tag_id(a.client, "complaint")]).status_code == 200


def test_another_clients_tag_or_an_agent_who_does_not_serve_the_client_is_refused(personas):
    a, b = personas.a, personas.b
    assert put_tags(console_as(a.agent.user), a.conversation, [tag_id(b.client, "sale")]).json()["code"] == "invalid"
    assert put_tags(console_as(b.agent.user), a.conversation, [tag_id(a.client, "sale")]).status_code == 403
    assert console_as(b.agent.user).get(f"/console/api/conversations/{a.conversation.pk}/tags/").status_code == 403
    assert put_tags(console_as(a.agent.user), a.conversation, "sale").json()["code"] == "invalid"


def test_the_api_filters_conversations_by_tag_within_the_callers_clients(personas):
    a, b = personas.a, personas.b
    a.conversation.tags.set([tag_id(a.client, "sale")])
    b.conversation.tags.set([tag_id(b.client, "sale")])
    mine = api_as(a.owner).get("/api/v1/conversations/?tag=sale").json()["results"]
    assert [(c["id"], c["tags"]) for c in mine] == [(a.conversation.pk, ["sale"])]
    assert api_as(a.owner).get("/api/v1/conversations/?tag=complaint").json()["results"] == []
    everyone = api_as(personas.admin).get("/api/v1/conversations/?tag=SALE").json()["results"]
    assert {c["id"] for c in everyone} == {a.conversation.pk, b.conversation.pk}


def test_analytics_count_the_chats_of_each_tag(personas):
    a = personas.a
    a.conversation.tags.set([tag_id(a.client, "sale")])
    body = api_as(a.owner).get(f"/api/v1/analytics/clients/{a.client.pk}/tags/?{WHOLE_TIME}").json()
    assert body["tags"] == [{"tag": "sale", "conversations": 1}, {"tag": "complaint", "conversations": 0}]
    other = api_as(personas.b.owner).get(f"/api/v1/analytics/clients/{a.client.pk}/tags/?{WHOLE_TIME}")
    assert other.status_code == 404
    dashboard = console_as(a.owner).get("/portal/dashboard/").content.decode()
    assert "Chats per tag" in dashboard and "<td>sale</td><td>1</td>" in dashboard


def test_the_owner_edits_the_list_in_the_portal_and_a_removed_tag_leaves_its_chats(personas):
    a = personas.a
    a.conversation.tags.set([tag_id(a.client, "complaint")])
    response = console_as(a.owner).post("/portal/tags/", {"tags": "sale\norder status\n"})
    assert response.status_code == 302
    assert sorted(Tag.objects.filter(client=a.client).values_list("name", flat=True)) == ["order status", "sale"]
    assert not a.conversation.tags.exists()
    assert sorted(Tag.objects.filter(client=personas.b.client).values_list("name", flat=True)) == ["sale"]
