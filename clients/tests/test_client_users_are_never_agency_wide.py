"""A client's owner or representative is never agency-wide, whatever groups or flags they are
given by mistake: on every surface (floor page and socket, API, portal, console API) they see
their own client and never another client's name or data."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group
from django.test import Client as HttpClient

from agency import roles
from agency.asgi import application
from agency.models import Agent
from agency.tests.api_personas import api_as, make_personas
from clients.selectors import clients_visible_to, is_agency_admin, is_agency_wide, is_client_side
from conftest import CONSOLE_HOST, CONSOLE_ORIGIN, session_cookie


def promoted_by_mistake(user, *, superuser: bool = False):
    """A client-side user put in the Supervisor and Agency admin groups (and maybe made superuser)."""
    # get_or_create: a transactional test before this one may have flushed the groups the migration made
    user.groups.add(
        Group.objects.get_or_create(name=roles.SUPERVISOR)[0], Group.objects.get_or_create(name=roles.AGENCY_ADMIN)[0]
    )
    if superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user


def logged_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.mark.parametrize("superuser", [False, True])
def test_the_predicate_says_a_client_side_user_is_not_agency_wide(personas, superuser):
    owner = promoted_by_mistake(personas.a.owner, superuser=superuser)
    assert is_client_side(owner)
    assert not is_agency_wide(owner)
    assert not is_agency_admin(owner)
    assert list(clients_visible_to(owner)) == [personas.a.client]
    assert is_agency_wide(personas.supervisor) and not is_client_side(personas.supervisor)


def test_the_floor_page_refuses_a_representative_in_the_supervisor_group(personas):
    http = logged_in(promoted_by_mistake(personas.a.owner))
    for url in ("/floor/", "/floor/agents/"):
        response = http.get(url)
        assert response.status_code == 403, url
        assert "Beta" not in response.content.decode()


def test_the_floor_page_still_opens_for_a_supervisor(personas):
    response = logged_in(personas.supervisor).get("/floor/")
    assert response.status_code == 200
    assert "Beta" in response.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_the_floor_socket_refuses_a_representative_in_the_supervisor_group():
    personas = await database_sync_to_async(make_personas)()
    owner = await database_sync_to_async(promoted_by_mistake)(personas.a.owner)
    cookie = await database_sync_to_async(session_cookie)(owner)
    socket = WebsocketCommunicator(
        application, "/ws/floor/", headers=[(b"cookie", cookie), (b"origin", CONSOLE_ORIGIN), (b"host", CONSOLE_HOST)]
    )
    connected, _ = await socket.connect(timeout=5)
    assert not connected
    await socket.disconnect()


def test_the_api_shows_a_representative_in_the_supervisor_group_only_their_client(personas):
    api = api_as(promoted_by_mistake(personas.a.owner))
    assert [row["name"] for row in api.get("/api/v1/clients/").json()["results"]] == ["Alpha"]
    assert [row["id"] for row in api.get("/api/v1/agents/").json()["results"]] == [personas.a.agent.pk]
    assert api.get("/api/v1/teams/").json()["results"] == []
    assert api.get(f"/api/v1/analytics/clients/{personas.b.client.pk}/kpis/").status_code == 404
    agent_rows = api.get("/api/v1/analytics/agents/?start=2020-01-01&end=2020-01-02").json()["results"]
    assert {row["agent_id"] for row in agent_rows} <= {personas.a.agent.pk}
    escalations = api.get("/api/v1/escalations/").content.decode()
    assert "Alpha refund?" in escalations and "Beta" not in escalations


def test_the_portal_shows_a_representative_in_the_supervisor_group_only_their_client(personas):
    http = logged_in(promoted_by_mistake(personas.a.owner))
    for url in ("/portal/", "/portal/reports/", "/portal/dashboard/", "/portal/conversations/"):
        response = http.get(url)
        assert response.status_code == 200, url
        assert "Beta" not in response.content.decode(), url
    assert http.get(f"/portal/reports/{personas.b.report.pk}/").status_code == 404


def test_the_console_api_refuses_another_clients_briefing_to_a_representative(personas):
    owner = promoted_by_mistake(personas.a.owner)
    Agent.objects.create(user=owner).clients.set([personas.b.client])
    http = logged_in(owner)
    for url in (
        f"/console/api/clients/{personas.b.client.pk}/briefing/",
        f"/console/api/clients/{personas.b.client.pk}/canned-replies/",
    ):
        response = http.get(url)
        assert response.status_code == 403, url
        assert "Beta" not in response.content.decode()
