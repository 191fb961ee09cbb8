"""The admin is the agency's workplace: client-side users and plain agents never get in."""

import pytest
from django.contrib.auth import get_user_model

from clients.models import Representative, RepresentativeRole
from conftest import make_agent, make_client


@pytest.fixture
def shops(db):
    return make_client("Shop A"), make_client("Shop B")


def client_user(username, client, role=RepresentativeRole.OWNER):
    user = get_user_model().objects.create_user(username, password="pw")
    Representative.objects.create(user=user, client=client, role=role)
    return user


ADMIN_PAGES = [
    "/admin/",
    "/admin/clients/client/",
    "/admin/clients/client/{b}/change/",
    "/admin/chats/conversation/",
    "/admin/clients/offlinemessage/",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("who", ["owner", "representative", "agent"])
def test_client_users_and_agents_are_sent_to_the_admin_login(client, shops, page, who):
    shop_a, shop_b = shops
    user = {
        "owner": lambda: client_user("olga", shop_a),
        "representative": lambda: client_user("rita", shop_a, RepresentativeRole.REPRESENTATIVE),
        "agent": lambda: make_agent("ana", shop_a).user,
    }[who]()
    client.force_login(user)
    response = client.get(page.format(b=shop_b.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_agency_admin_opens_any_clients_page(admin_client, shops):
    _, shop_b = shops
    assert admin_client.get(f"/admin/clients/client/{shop_b.pk}/change/").status_code == 200
