"""REST API writes in the clients domain: coverage hours (agency admins only) and leads' handled flag."""

import pytest

from agency.tests.api_personas import api_as, make_personas
from clients.models import CoverageWindow


@pytest.fixture
def personas(db):
    return make_personas()


def test_an_agency_admin_adds_changes_and_removes_a_coverage_window(personas):
    api = api_as(personas.admin)
    created = api.post(
        "/api/v1/coverage-windows/",
        {"client": personas.a.client.pk, "weekday": 5, "starts_at": "10:00", "ends_at": "14:00"},
        format="json",
    )
    assert created.status_code == 201, created.content
    window_id = created.json()["id"]
    changed = api.patch(f"/api/v1/coverage-windows/{window_id}/", {"ends_at": "15:30"}, format="json")
    assert changed.json()["ends_at"] == "15:30:00"
    assert api.delete(f"/api/v1/coverage-windows/{window_id}/").status_code == 204
    assert not CoverageWindow.objects.filter(pk=window_id).exists()


def test_a_window_that_ends_when_it_starts_is_invalid_with_field_errors(personas):
    response = api_as(personas.admin).post(
        "/api/v1/coverage-windows/",
        {"client": personas.a.client.pk, "weekday": 1, "starts_at": "09:00", "ends_at": "09:00"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "ends_at" in body["fields"] and body["detail"]


def test_an_exception_closed_with_hours_is_invalid(personas):
    response = api_as(personas.admin).post(
        "/api/v1/coverage-exceptions/",
        {
            "client": personas.a.client.pk,
            "date": "2026-05-01",
            "is_closed": True,
            "starts_at": "09:00",
            "ends_at": "12:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("who", ["supervisor", "owner", "agent"])
def test_only_agency_admins_write_coverage(personas, who):
    user = {"supervisor": personas.supervisor, "owner": personas.a.owner, "agent": personas.a.agent.user}[who]
    api = api_as(user)
    response = api.patch(f"/api/v1/coverage-windows/{personas.a.window.pk}/", {"ends_at": "18:00"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert api.get(f"/api/v1/coverage-windows/{personas.a.window.pk}/").status_code == 200


def test_the_owner_marks_their_lead_handled(personas):
    lead = personas.a.offline_message
    response = api_as(personas.a.owner).patch(
        f"/api/v1/offline-messages/{lead.pk}/", {"is_handled": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["is_handled"] is True
    lead.refresh_from_db()
    assert lead.is_handled


def test_the_owner_of_a_cannot_mark_a_lead_of_b(personas):
    lead = personas.b.offline_message
    response = api_as(personas.a.owner).patch(
        f"/api/v1/offline-messages/{lead.pk}/", {"is_handled": True}, format="json"
    )
    assert response.status_code == 404
    lead.refresh_from_db()
    assert not lead.is_handled


def test_agents_read_leads_but_do_not_mark_them(personas):
    lead = personas.a.offline_message
    response = api_as(personas.a.agent.user).patch(
        f"/api/v1/offline-messages/{lead.pk}/", {"is_handled": True}, format="json"
    )
    assert response.status_code == 403


def test_leads_filter_by_handled(personas):
    api = api_as(personas.admin)
    api.patch(f"/api/v1/offline-messages/{personas.a.offline_message.pk}/", {"is_handled": True}, format="json")
    ids = {row["id"] for row in api.get("/api/v1/offline-messages/?is_handled=false").json()["results"]}
    assert ids == {personas.b.offline_message.pk}


def test_a_client_carries_its_coverage_summary(personas):
    body = api_as(personas.a.owner).get(f"/api/v1/clients/{personas.a.client.pk}/").json()
    assert body["coverage"]["hours_per_week"] == 8
    assert body["coverage"]["grid"][0][9] == 60
