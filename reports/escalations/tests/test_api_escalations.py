"""REST API: escalations are acknowledged by the client's own people, through reports.escalations.services."""

import pytest

from agency.tests.api_personas import api_as, make_personas
from reports.models import EscalationStatus


@pytest.fixture
def personas(db):
    return make_personas()


def test_the_owner_acknowledges_their_escalation(personas):
    escalation = personas.a.escalation
    response = api_as(personas.a.owner).post(f"/api/v1/escalations/{escalation.pk}/acknowledge/")
    assert response.status_code == 200
    assert response.json()["status"] == EscalationStatus.ACKNOWLEDGED
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == personas.a.owner


def test_the_owner_of_a_gets_404_acknowledging_b(personas):
    response = api_as(personas.a.owner).post(f"/api/v1/escalations/{personas.b.escalation.pk}/acknowledge/")
    assert response.status_code == 404
    personas.b.escalation.refresh_from_db()
    assert personas.b.escalation.status == EscalationStatus.OPEN


@pytest.mark.parametrize("who", ["admin", "agent"])
def test_the_agency_side_may_not_acknowledge(personas, who):
    user = personas.admin if who == "admin" else personas.a.agent.user
    response = api_as(user).post(f"/api/v1/escalations/{personas.a.escalation.pk}/acknowledge/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_representative"


def test_escalations_filter_by_status(personas):
    api = api_as(personas.admin)
    api_as(personas.a.owner).post(f"/api/v1/escalations/{personas.a.escalation.pk}/acknowledge/")
    ids = {row["id"] for row in api.get("/api/v1/escalations/?status=open").json()["results"]}
    assert ids == {personas.b.escalation.pk}
