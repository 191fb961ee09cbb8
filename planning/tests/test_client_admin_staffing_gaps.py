"""The client's admin page shows its staffing gaps of the next 7 days under the week's totals (planning extends
clients' page; the assertion on the gaps was in clients/tests/test_coverage_admin.py)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from clients.models import Client
from clients.tests.coverage_factories import EVERY_DAY, client_with_hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.com", "pw"))
    return client


def test_the_change_page_shows_the_staffing_gaps_after_the_weeks_totals(admin_client):
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")])
    page = admin_client.get(f"/admin/clients/client/{shop.pk}/change/").content.decode()
    totals = page.index("84.0 covered hours a week, 2.1 FTE at 40 hours per FTE.")
    gaps = page.index("covered hours with no agent scheduled")
    assert totals < gaps < page.index("Service level")
    assert f'href="/floor/staffing/?client={shop.pk}" id="open-planner"' in page


def test_the_add_page_has_no_gaps_to_show(admin_client):
    page = admin_client.get("/admin/clients/client/add/").content.decode()
    assert "staffing gaps, next 7 days" in page.lower()
    assert "covered hours with no agent scheduled" not in page


def test_the_client_admin_is_clients_own_with_the_gaps_added():
    model_admin = admin.site._registry[Client]
    assert "staffing_gaps" in model_admin.readonly_fields
    assert model_admin.search_fields == ["name", "slug"]  # other admins' autocomplete of clients still works
