"""REST API analytics: KPIs and heatmap of a client, KPIs of agents, each within the caller's clients."""

import datetime as dt

import pytest

from agency.tests.api_personas import api_as, make_personas

TODAY = dt.date.today()
WHOLE_TIME = f"start={TODAY - dt.timedelta(days=30)}&end={TODAY + dt.timedelta(days=2)}T00:00:00Z"


@pytest.fixture
def personas(db):
    return make_personas()


def test_client_kpis_count_the_clients_chats(personas):
    body = api_as(personas.a.owner).get(f"/api/v1/analytics/clients/{personas.a.client.pk}/kpis/?{WHOLE_TIME}")
    assert body.status_code == 200, body.content
    kpis = body.json()["kpis"]
    assert (kpis["chats"], kpis["messages"]) == (1, 2)
    assert kpis["first_response"]["p50"] == pytest.approx(30)


def test_the_heatmap_has_seven_days_of_24_hours(personas):
    body = (
        api_as(personas.a.agent.user)
        .get(f"/api/v1/analytics/clients/{personas.a.client.pk}/heatmap/?{WHOLE_TIME}")
        .json()
    )
    assert len(body["grid"]) == 7 and {len(day) for day in body["grid"]} == {24}
    assert sum(map(sum, body["grid"])) == 1


@pytest.mark.parametrize(
    "query",
    [
        "",
        "start=2026-01-01",
        "start=soon&end=later",
        "start=2026-02-01&end=2026-01-01",
        "start=2020-01-01&end=2026-01-01",
        "start=1900-01-01&end=1900-02-01",
    ],
)
def test_a_missing_or_bad_period_is_invalid(personas, query):
    response = api_as(personas.admin).get(f"/api/v1/analytics/clients/{personas.a.client.pk}/kpis/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["fields"]


def test_the_supervisor_sees_every_agents_kpis(personas):
    rows = api_as(personas.supervisor).get(f"/api/v1/analytics/agents/?{WHOLE_TIME}").json()["results"]
    assert {row["agent_id"] for row in rows} >= {personas.a.agent.pk, personas.b.agent.pk}


def test_an_owner_sees_the_agents_kpis_of_their_client_only(personas):
    rows = api_as(personas.a.owner).get(f"/api/v1/analytics/agents/?{WHOLE_TIME}").json()["results"]
    assert [(row["agent_id"], row["chats"]) for row in rows] == [(personas.a.agent.pk, 1)]


def test_an_agent_sees_only_their_own_row(personas):
    personas.b.agent.clients.add(personas.a.client)
    rows = api_as(personas.a.agent.user).get(f"/api/v1/analytics/agents/?{WHOLE_TIME}").json()["results"]
    assert [row["agent_id"] for row in rows] == [personas.a.agent.pk]


def test_an_owner_asking_for_another_clients_agents_gets_404(personas):
    response = api_as(personas.a.owner).get(f"/api/v1/analytics/agents/?{WHOLE_TIME}&client={personas.b.client.pk}")
    assert response.status_code == 404
