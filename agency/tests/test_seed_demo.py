"""The demo seeding: two clients with different hours and briefings, an owner login; idempotent."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from agency.models import display_name_of
from clients.models import CannedReply, Client, Representative
from clients.selectors import clients_visible_to
from clients.services import briefing_for

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_it_seeds_both_demo_clients_and_can_run_twice():
    seed()
    seed()
    shop, kowalski = Client.objects.get(slug="demo-shop"), Client.objects.get(slug="sklep-kowalski")
    assert shop.is_24_7 and not kowalski.is_24_7
    assert (kowalski.timezone, kowalski.holiday_country) == ("Europe/Warsaw", "PL")
    assert kowalski.coverage_windows.count() == 6
    assert CannedReply.objects.filter(client=kowalski).count() == 2
    assert briefing_for(kowalski.pk)["tone"] != briefing_for(shop.pk)["tone"]
    assert list(kowalski.agents.values_list("user__username", flat=True)) == ["piotr"]


def test_the_owner_login_sees_only_demo_shop():
    seed()
    owner = authenticate(RequestFactory().post("/accounts/login/"), username="owner", password="demo")
    assert Representative.objects.get(user=owner).is_owner
    assert list(clients_visible_to(owner).values_list("slug", flat=True)) == ["demo-shop"]


def test_the_second_demo_page_embeds_its_widget(client):
    seed()
    page = client.get("/demo/kowalski/").content.decode()
    assert Client.objects.get(slug="sklep-kowalski").widget_key in page


def test_the_demo_admin_has_a_name_to_show_visitors_when_taking_a_chat_over():
    seed()
    admin = get_user_model().objects.get(username="admin")
    assert display_name_of(admin) == "Sara"
