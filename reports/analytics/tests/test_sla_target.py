"""The SLA target is a client's own promise (e.g. 90 % of chats answered within 22 s): agency admins
set it in the admin, the owner reads it on the dashboard, and the measured share is compared with it."""

import pytest
from django.contrib.auth import get_user_model

from agency.tests.api_personas import api_as, make_personas
from clients.models import Client
from clients.tests.test_coverage_admin import change_form
from portal.tests.test_dashboards import PERIOD, chats_of_both, logged_in  # noqa: F401
from reports.analytics import selectors as analytics
from reports.analytics.tests.test_analytics import DAY_END, DAY_START, day_of_chats  # noqa: F401

pytestmark = pytest.mark.django_db


def set_target(client: Client, *, seconds: int, share: int) -> None:
    client.sla_target_seconds, client.sla_target_share = seconds, share
    client.save(update_fields=["sla_target_seconds", "sla_target_share"])


def test_a_new_client_promises_90_percent_within_22_seconds():
    client = Client.objects.create(name="Shop", slug="shop")
    assert (client.sla_target_seconds, client.sla_target_share) == (22, 90)


def test_the_measured_share_is_compared_with_the_target_share_not_with_100_percent(day_of_chats):  # noqa: F811
    shop, *_ = day_of_chats
    set_target(shop, seconds=40, share=75)  # 3 of the 4 chats are answered within 40 s
    kpis = analytics.client_kpis(client_id=shop.pk, start=DAY_START, end=DAY_END)
    assert (kpis["answered_within_sla_share"], kpis["sla_target_share"], kpis["sla_target_met"]) == (0.75, 0.75, True)
    set_target(shop, seconds=40, share=80)
    assert analytics.client_kpis(client_id=shop.pk, start=DAY_START, end=DAY_END)["sla_target_met"] is False


def test_the_api_kpis_include_the_target_share():
    personas = make_personas()
    set_target(personas.a.client, seconds=30, share=80)
    kpis = (
        api_as(personas.a.owner)
        .get(f"/api/v1/analytics/clients/{personas.a.client.pk}/kpis/", {"start": "2020-01-01", "end": "2020-01-31"})
        .json()["kpis"]
    )
    assert (kpis["sla_target_seconds"], kpis["sla_target_share"], kpis["sla_target_met"]) == (30, 0.8, None)
    client = api_as(personas.a.owner).get(f"/api/v1/clients/{personas.a.client.pk}/").json()
    assert (client["sla_target_seconds"], client["sla_target_share"]) == (30, 80)


def test_the_dashboard_shows_the_target_read_only_and_the_verdict(client, owner, chats_of_both):  # noqa: F811
    shop = owner.client
    set_target(shop, seconds=22, share=50)  # 1 of the 2 chats answered within 22 s: exactly 50 %
    page = logged_in(client, owner.user).get("/portal/dashboard/", PERIOD).content.decode()
    assert "Your target: 50 % within 22 s" in page
    assert "Target met" in page and 'class="kpi sla met"' in page
    assert "<input" not in page.split("Your target")[1].split("</a>")[0]
    set_target(shop, seconds=22, share=90)
    page = client.get("/portal/dashboard/", PERIOD).content.decode()
    assert "Below the target" in page and 'class="kpi sla missed"' in page


def test_an_agency_admin_edits_the_target_in_the_admin(client):
    shop = Client.objects.create(name="Shop", slug="shop", is_24_7=True)
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.com", "pw"))
    url = f"/admin/clients/client/{shop.pk}/change/"
    assert 'name="sla_target_share"' in client.get(url).content.decode()
    response = client.post(url, change_form(shop, [], is_24_7="on", sla_target_seconds="30", sla_target_share="85"))
    assert response.status_code == 302, response.content.decode()[:2000]
    shop.refresh_from_db()
    assert (shop.sla_target_seconds, shop.sla_target_share) == (30, 85)
    refused = client.post(url, change_form(shop, [], is_24_7="on", sla_target_seconds="30", sla_target_share="101"))
    assert refused.status_code == 200
