"""Overlapping weekly windows are refused by the service, so the API and the admin say the same sentence."""

import pytest

from agency.tests.api_personas import api_as, make_personas
from clients.models import CoverageWindow
from clients.tests.test_coverage_admin import save

pytestmark = pytest.mark.django_db

OVERLAP = "The windows Monday 09:00–17:00 and Monday 12:00–20:00 overlap. Merge them into one window."


@pytest.fixture
def personas():
    return make_personas()  # each client has a window Monday 09:00–17:00


def post_window(personas, client, weekday: int, starts_at: str, ends_at: str):
    return api_as(personas.admin).post(
        "/api/v1/coverage-windows/",
        {"client": client.pk, "weekday": weekday, "starts_at": starts_at, "ends_at": ends_at},
        format="json",
    )


def test_an_overlapping_window_posted_to_the_api_is_refused_naming_both(personas):
    response = post_window(personas, personas.a.client, 0, "12:00", "20:00")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"] == OVERLAP
    assert CoverageWindow.objects.filter(client=personas.a.client).count() == 1


def test_a_window_that_crosses_midnight_into_a_covered_morning_is_refused(personas):
    response = post_window(personas, personas.a.client, 6, "22:00", "10:00")
    assert response.status_code == 400
    assert "Sunday 22:00–10:00" in response.json()["detail"]


def test_changing_a_window_into_an_overlap_is_refused(personas):
    created = post_window(personas, personas.a.client, 0, "18:00", "20:00")
    assert created.status_code == 201
    response = api_as(personas.admin).patch(
        f"/api/v1/coverage-windows/{created.json()['id']}/", {"starts_at": "16:00"}, format="json"
    )
    assert response.status_code == 400
    assert "overlap" in response.json()["detail"]


def test_windows_side_by_side_or_of_another_client_are_accepted(personas):
    assert post_window(personas, personas.a.client, 0, "17:00", "20:00").status_code == 201
    assert post_window(personas, personas.b.client, 0, "12:00", "20:00").status_code == 400  # b has its own
    assert post_window(personas, personas.b.client, 1, "12:00", "20:00").status_code == 201
    changed = api_as(personas.admin).patch(
        f"/api/v1/coverage-windows/{personas.a.window.pk}/", {"starts_at": "08:00"}, format="json"
    )
    assert changed.status_code == 200, changed.content


def test_the_admin_refuses_the_same_overlap_with_the_same_sentence(personas, client):
    client.force_login(personas.admin)
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    response = save(
        client,
        personas.a.client,
        [
            {"weekday": 0, "starts_at": "09:00", "ends_at": "17:00"},
            {"weekday": 0, "starts_at": "12:00", "ends_at": "20:00"},
        ],
    )
    assert response.status_code == 200
    assert OVERLAP in response.content.decode()
