"""Ratings, CSAT, NPS and message search keep each client's data to that client's people:
an owner of Alpha never sees Beta's ratings, figures or messages; an agent only the clients
they serve; anonymous callers get 401."""

import datetime as dt

import pytest

from agency.tests.api_personas import api_as, make_personas
from chats.ratings.models import Rating
from conftest import make_agent
from quality.models import NpsSurvey

TODAY = dt.date.today()
PERIOD = f"?start={TODAY - dt.timedelta(days=30)}&end={TODAY + dt.timedelta(days=1)}"


@pytest.fixture
def personas(db):
    personas = make_personas()
    for data, score in ((personas.a, 5), (personas.b, 1)):
        Rating.objects.create(
            conversation=data.conversation,
            client=data.client,
            agent=data.agent,
            scale="five",
            score=score,
            comment=f"{data.client.name} comment",
        )
        NpsSurvey.objects.create(
            client=data.client,
            conversation=data.conversation,
            email="maria@example.com",
            score=10 if score == 5 else 0,
            answered_at=data.conversation.closed_at,
        )
    return personas


def test_an_owner_lists_only_their_clients_ratings(personas):
    for user, own, other in (
        (personas.a.owner, personas.a, personas.b),
        (personas.a.agent.user, personas.a, personas.b),
    ):
        rows = api_as(user).get("/api/v1/ratings/").json()["results"]
        assert {row["client"] for row in rows} == {own.client.pk}
        other_rating = Rating.objects.get(client=other.client)
        assert api_as(user).get(f"/api/v1/ratings/{other_rating.pk}/").status_code == 404


def test_supervisors_see_every_clients_ratings(personas):
    rows = api_as(personas.supervisor).get("/api/v1/ratings/").json()["results"]
    assert {row["client"] for row in rows} == {personas.a.client.pk, personas.b.client.pk}


@pytest.mark.parametrize("figure", ["csat", "nps"])
def test_csat_and_nps_of_another_client_are_404(personas, figure):
    own = api_as(personas.a.owner).get(f"/api/v1/analytics/clients/{personas.a.client.pk}/{figure}/{PERIOD}")
    assert own.status_code == 200, own.content
    other = api_as(personas.a.owner).get(f"/api/v1/analytics/clients/{personas.b.client.pk}/{figure}/{PERIOD}")
    assert other.status_code == 404
    agent_other = api_as(personas.a.agent.user).get(
        f"/api/v1/analytics/clients/{personas.b.client.pk}/{figure}/{PERIOD}"
    )
    assert agent_other.status_code == 404
    assert api_as(None).get(f"/api/v1/analytics/clients/{personas.a.client.pk}/{figure}/{PERIOD}").status_code == 401


def test_csat_and_nps_figures(personas):
    csat = api_as(personas.a.owner).get(f"/api/v1/analytics/clients/{personas.a.client.pk}/csat/{PERIOD}").json()
    assert csat["ratings"] == 1 and csat["csat"] == 100.0 and csat["rated_chats_share"] == 100.0
    assert [row["csat"] for row in csat["by_agent"]] == [100.0]
    nps = api_as(personas.b.owner).get(f"/api/v1/analytics/clients/{personas.b.client.pk}/nps/{PERIOD}").json()
    assert [(m["responses"], m["detractors"], m["nps"]) for m in nps["months"]] == [(1, 1, -100.0)]


def test_message_search_never_crosses_clients(personas):
    for user, own, other in (
        (personas.a.owner, personas.a, personas.b),
        (personas.a.agent.user, personas.a, personas.b),
    ):
        response = api_as(user).get("/api/v1/messages/search/?q=order")
        assert response.status_code == 200, response.content
        found = {row["conversation"] for row in response.json()["results"]}
        assert found == {own.conversation.pk}
        narrowed = api_as(user).get(f"/api/v1/messages/search/?q=order&client={other.client.pk}").json()
        assert narrowed["results"] == []
    both = api_as(personas.supervisor).get("/api/v1/messages/search/?q=order").json()["results"]
    assert {row["client"] for row in both} == {personas.a.client.pk, personas.b.client.pk}
    assert api_as(None).get("/api/v1/messages/search/?q=order").status_code == 401


@pytest.mark.parametrize("query", ["", "   ", "nul\x00", "x" * 201])
def test_a_bad_search_is_a_400(personas, query):
    response = api_as(personas.a.owner).get("/api/v1/messages/search/", {"q": query})
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_the_portal_page_shows_only_the_owners_client(personas, client):
    client.force_login(personas.a.owner)
    page = client.get("/portal/quality/?q=order").content.decode()
    assert "Alpha comment" in page and "Beta comment" not in page
    assert "Where is my Alpha order?" in page and "Where is my Beta order?" not in page


def test_agent_csat_keeps_to_the_clients_one_may_see(personas):
    rows = api_as(personas.a.owner).get(f"/api/v1/analytics/agents/csat/{PERIOD}").json()["agents"]
    assert [row["agent"] for row in rows] == [personas.a.agent.pk]
    assert (
        api_as(personas.a.owner)
        .get(f"/api/v1/analytics/agents/csat/{PERIOD}&client={personas.b.client.pk}")
        .status_code
        == 404
    )
    own = api_as(personas.b.agent.user).get(f"/api/v1/analytics/agents/csat/{PERIOD}").json()["agents"]
    assert [(row["agent"], row["csat"]) for row in own] == [(personas.b.agent.pk, 0.0)]
    everyone = api_as(personas.supervisor).get(f"/api/v1/analytics/agents/csat/{PERIOD}").json()["agents"]
    assert {row["agent"] for row in everyone} == {personas.a.agent.pk, personas.b.agent.pk}


def test_an_agent_lists_only_their_own_ratings_not_a_colleagues(personas):
    """As in agent KPIs and CSAT: a colleague serving the same client never reads another agent's ratings."""
    colleague = make_agent("colleague", personas.a.client)
    assert api_as(colleague.user).get("/api/v1/ratings/").json()["results"] == []
    rating = Rating.objects.get(client=personas.a.client)
    assert api_as(colleague.user).get(f"/api/v1/ratings/{rating.pk}/").status_code == 404
    assert api_as(colleague.user).get(f"/api/v1/ratings/?agent={personas.a.agent.pk}").json()["results"] == []
    assert [row["id"] for row in api_as(personas.a.agent.user).get("/api/v1/ratings/").json()["results"]] == [rating.pk]
