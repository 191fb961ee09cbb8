"""The longest period is one number: the portal's dashboard and the API accept 366 days and refuse 367."""

import datetime as dt

import pytest

from agency.tests.api_personas import api_as, make_personas
from reports.analytics.periods import MAX_PERIOD_DAYS, PeriodForm

pytestmark = pytest.mark.django_db


def test_the_longest_period_is_366_days():
    assert MAX_PERIOD_DAYS == 366


@pytest.mark.parametrize(("days", "is_valid"), [(366, True), (367, False)])
def test_the_portal_accepts_at_most_the_longest_period(days, is_valid):
    since = dt.date(2025, 1, 1)
    form = PeriodForm({"since": since, "until": since + dt.timedelta(days=days - 1)})
    assert form.is_valid() is is_valid


@pytest.mark.parametrize(("days", "status"), [(366, 200), (367, 400)])
def test_the_api_accepts_at_most_the_longest_period(days, status):
    personas = make_personas()
    start = dt.date(2025, 3, 1)  # whole Madrid days across both changes of summer time
    personas.a.client.timezone = "Europe/Madrid"
    personas.a.client.save(update_fields=["timezone"])
    end = start + dt.timedelta(days=days - 1)
    response = api_as(personas.admin).get(
        f"/api/v1/analytics/clients/{personas.a.client.pk}/kpis/", {"start": start.isoformat(), "end": end.isoformat()}
    )
    assert response.status_code == status, response.content
    if status == 400:
        assert "366" in response.json()["detail"]


def test_api_dates_are_whole_local_days_with_the_end_included():
    personas = make_personas()
    personas.a.client.timezone = "Europe/Madrid"
    personas.a.client.save(update_fields=["timezone"])
    response = api_as(personas.admin).get(
        f"/api/v1/analytics/clients/{personas.a.client.pk}/kpis/", {"start": "2026-01-05", "end": "2026-01-05"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["start"], response.json()["end"]) == ("2026-01-04T23:00:00Z", "2026-01-05T23:00:00Z")
