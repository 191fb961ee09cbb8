"""Who sees which client: agency-wide roles all, agents theirs, client users only their own."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group

from agency import roles
from clients.models import Representative, RepresentativeRole
from clients.selectors import clients_visible_to
from conftest import make_agent, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops():
    return make_client("Shop A"), make_client("Shop B")


def user_in(role: str | None, username: str, **fields):
    user = get_user_model().objects.create_user(username, password="pw", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def client_user(client, username, role=RepresentativeRole.OWNER, group=roles.CLIENT_OWNER):
    user = user_in(group, username)
    Representative.objects.create(user=user, client=client, role=role)
    return user


def test_the_roles_exist_with_permissions():
    for name in roles.ROLES:
        assert Group.objects.get(name=name).permissions.exists(), name
    assert Group.objects.get(name=roles.CLIENT_OWNER).permissions.filter(codename="change_briefing").exists()
    assert not Group.objects.get(name=roles.AGENT).permissions.filter(codename="delete_client").exists()


@pytest.mark.parametrize("role", [roles.AGENCY_ADMIN, roles.SUPERVISOR])
def test_agency_wide_roles_see_every_client(shops, role):
    assert set(clients_visible_to(user_in(role, "boss"))) == set(shops)


def test_a_superuser_sees_every_client(shops):
    assert set(clients_visible_to(user_in(None, "root", is_superuser=True))) == set(shops)


def test_an_agent_sees_only_the_clients_they_serve(shops):
    ana = make_agent("ana", shops[0])
    assert list(clients_visible_to(ana.user)) == [shops[0]]


def test_the_owner_of_a_never_sees_b(shops):
    assert list(clients_visible_to(client_user(shops[0], "owner_a"))) == [shops[0]]


def test_a_representative_sees_only_their_client(shops):
    user = client_user(shops[1], "rep_b", RepresentativeRole.REPRESENTATIVE, roles.CLIENT_REPRESENTATIVE)
    assert list(clients_visible_to(user)) == [shops[1]]


def test_a_client_user_put_in_an_agency_group_by_mistake_still_sees_only_their_client(shops):
    user = client_user(shops[0], "owner_a")
    user.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    assert list(clients_visible_to(user)) == [shops[0]]


def test_outsiders_and_anonymous_visitors_see_nothing(shops):
    assert not clients_visible_to(user_in(None, "nobody")).exists()
    assert not clients_visible_to(AnonymousUser()).exists()
