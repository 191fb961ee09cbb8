"""Each agent keeps their own choice of desktop notifications and sound."""

import pytest
from django.test import Client as HttpClient

from conftest import make_agent, make_client


def console_as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def two_agents(db):
    shop = make_client()
    return make_agent("ana", shop), make_agent("bea", shop)


def test_both_are_on_until_the_agent_turns_one_off_for_themselves_only(two_agents):
    ana, bea = two_agents
    http = console_as(ana.user)
    assert http.get("/console/api/preferences/").json() == {"desktop_notifications": True, "sound": True}
    response = http.put("/console/api/preferences/", {"sound": False}, content_type="application/json")
    assert response.json() == {"desktop_notifications": True, "sound": False}
    assert http.get("/console/api/preferences/").json()["sound"] is False
    assert console_as(bea.user).get("/console/api/preferences/").json()["sound"] is True


def test_unknown_or_non_boolean_preferences_are_invalid_and_anonymous_users_refused(two_agents):
    ana, _ = two_agents
    http = console_as(ana.user)
    for body in ({"sound": "no"}, {"volume": 3}, []):
        response = http.put("/console/api/preferences/", body, content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert HttpClient().get("/console/api/preferences/").status_code == 401
