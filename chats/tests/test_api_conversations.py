"""REST API: conversations filter by client, agent, status, dates and message text; messages come in seq order."""

import datetime as dt

import pytest

from agency.tests.api_personas import api_as, make_conversation, make_personas


@pytest.fixture
def personas(db):
    return make_personas()


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_search_finds_conversations_by_message_text(personas):
    api = api_as(personas.admin)
    assert ids(api.get("/api/v1/conversations/?search=alpha order")) == {personas.a.conversation.pk}
    assert ids(api.get("/api/v1/conversations/?search=nothing like this")) == set()


def test_filters_by_client_agent_and_status(personas):
    api = api_as(personas.supervisor)
    assert ids(api.get(f"/api/v1/conversations/?client={personas.b.client.pk}")) == {personas.b.conversation.pk}
    assert ids(api.get(f"/api/v1/conversations/?agent={personas.a.agent.pk}")) == {personas.a.conversation.pk}
    assert ids(api.get("/api/v1/conversations/?status=active")) == set()


def test_filters_by_requested_dates(personas):
    old = make_conversation(
        personas.a.client, personas.a.agent, body="Old one", at=dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC)
    )
    api = api_as(personas.a.owner)
    assert ids(api.get("/api/v1/conversations/?requested_before=2024-03-02T00:00:00Z")) == {old.pk}
    assert old.pk not in ids(api.get("/api/v1/conversations/?requested_after=2025-01-01T00:00:00Z"))


def test_a_bad_filter_value_is_invalid(personas):
    response = api_as(personas.admin).get("/api/v1/conversations/?status=sleeping")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "status" in response.json()["fields"]


def test_messages_come_in_seq_order_and_resume_after_a_seq(personas):
    api = api_as(personas.a.agent.user)
    url = f"/api/v1/conversations/{personas.a.conversation.pk}/messages/"
    rows = api.get(url).json()["results"]
    assert [row["seq"] for row in rows] == [1, 2]
    assert rows[1]["author_name"] == "Agent-Alpha"
    assert [row["seq"] for row in api.get(f"{url}?after=1").json()["results"]] == [2]
