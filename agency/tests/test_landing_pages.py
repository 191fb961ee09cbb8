"""After login each role lands where its work is; the floor and the admin link to each other."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agency import roles
from clients.models import Representative, RepresentativeRole
from conftest import make_agent, make_client

pytestmark = pytest.mark.django_db


def user_in(username: str, *groups: str, **fields):
    user = get_user_model().objects.create_user(username, password="pw", **fields)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def representative(username: str, role: str):
    user = user_in(username, roles.CLIENT_OWNER if role == RepresentativeRole.OWNER else roles.CLIENT_REPRESENTATIVE)
    Representative.objects.create(user=user, client=make_client("Shop"), role=role)
    return user


def landing_of(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    return response["Location"]


def test_an_agent_lands_on_the_console(client):
    assert landing_of(client, make_agent("ana").user) == "/console/"


@pytest.mark.parametrize("role", [RepresentativeRole.OWNER, RepresentativeRole.REPRESENTATIVE])
def test_client_owners_and_representatives_land_on_the_portal(client, role):
    assert landing_of(client, representative("olga", role)) == "/portal/"


@pytest.mark.parametrize("group", [roles.SUPERVISOR, roles.AGENCY_ADMIN])
def test_supervisors_and_agency_admins_land_on_the_floor(client, group):
    assert landing_of(client, user_in("sam", group)) == "/floor/"


def test_a_superuser_lands_on_the_floor(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    assert landing_of(client, admin) == "/floor/"


def test_a_supervisor_who_also_takes_chats_lands_on_the_floor(client):
    agent = make_agent("sam")
    agent.user.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    assert landing_of(client, agent.user) == "/floor/"


def test_the_login_form_sends_each_role_home_and_home_sends_it_on(client):
    user_in("sam", roles.SUPERVISOR)
    response = client.post("/accounts/login/", {"username": "sam", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == "/floor/"


def test_anonymous_visitors_see_the_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/accounts/login/' in response.content


def test_the_floor_links_to_the_admin_the_agents_report_and_the_api_docs(client):
    client.force_login(user_in("boss", roles.AGENCY_ADMIN, is_staff=True))
    page = client.get("/floor/").content.decode()
    for link in ('href="/admin/"', 'href="/floor/agents/"', 'href="/api/docs/"'):
        assert link in page
    assert 'href="/floor/"' in client.get("/floor/agents/").content.decode()


def test_the_admin_links_back_to_the_floor(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw"))
    page = client.get("/admin/").content.decode()
    assert 'href="/floor/"' in page
    assert "Relevo" in page
