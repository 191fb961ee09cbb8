"""REST API: who sees which agents and teams."""

import pytest

from agency.tests.api_personas import api_as, make_personas


@pytest.fixture
def personas(db):
    return make_personas()


def listed(api, url) -> dict[int, dict]:
    response = api.get(url)
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def test_the_supervisor_sees_every_agent_and_team(personas):
    api = api_as(personas.supervisor)
    assert {personas.a.agent.pk, personas.b.agent.pk} <= set(listed(api, "/api/v1/agents/"))
    assert {personas.a.team.pk, personas.b.team.pk} <= set(listed(api, "/api/v1/teams/"))


def test_an_agent_sees_only_themselves_and_their_teams(personas):
    api = api_as(personas.a.agent.user)
    assert set(listed(api, "/api/v1/agents/")) == {personas.a.agent.pk}
    assert set(listed(api, "/api/v1/teams/")) == {personas.a.team.pk}
    assert api.get(f"/api/v1/agents/{personas.b.agent.pk}/").status_code == 404
    assert api.get(f"/api/v1/teams/{personas.b.team.pk}/").status_code == 404


def test_an_owner_sees_the_agents_of_their_client_and_only_their_client_ids(personas):
    personas.b.agent.clients.add(personas.a.client)  # Beta's agent now also serves Alpha
    agents = listed(api_as(personas.a.owner), "/api/v1/agents/")
    assert set(agents) == {personas.a.agent.pk, personas.b.agent.pk}
    assert agents[personas.b.agent.pk]["clients"] == [personas.a.client.pk]


def test_an_owner_sees_no_teams(personas):
    api = api_as(personas.a.owner)
    assert listed(api, "/api/v1/teams/") == {}
    assert api.get(f"/api/v1/teams/{personas.a.team.pk}/").status_code == 404
