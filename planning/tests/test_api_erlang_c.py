"""GET /api/v1/staffing/erlang-c/: the model alone, for integrations to check; junk is a 400 `invalid`."""

import pytest
from rest_framework.test import APIClient

from agency.tests.api_personas import api_as, make_user

URL = "/api/v1/staffing/erlang-c/"


@pytest.fixture
def api(db):
    return api_as(make_user("integration"))


def test_the_classic_example_needs_fourteen_agents(api):
    response = api.get(
        URL, {"arrivals_per_hour": 200, "handle_seconds": 180, "target_seconds": 20, "service_level": 0.8}
    )
    assert response.status_code == 200
    assert response.json() == {"agents": 14, "service_level": 0.8884, "occupancy": 0.7143, "average_wait_seconds": 7.84}


def test_chats_at_once_need_fewer_agents(api):
    alone = api.get(
        URL,
        {"arrivals_per_hour": 120, "handle_seconds": 300, "target_seconds": 22, "service_level": 0.9, "concurrency": 1},
    ).json()
    three = api.get(
        URL,
        {"arrivals_per_hour": 120, "handle_seconds": 300, "target_seconds": 22, "service_level": 0.9, "concurrency": 3},
    ).json()
    assert three["agents"] < alone["agents"]
    assert three["service_level"] >= 0.9


def test_a_huge_but_sane_load_answers_at_once(api):
    response = api.get(
        URL, {"arrivals_per_hour": 500_000, "handle_seconds": 300, "target_seconds": 20, "service_level": 0.95}
    )
    assert response.status_code == 200
    assert 41_667 < response.json()["agents"] < 42_500


@pytest.mark.parametrize(
    "junk",
    [
        {"arrivals_per_hour": "many"},
        {"arrivals_per_hour": 0},
        {"arrivals_per_hour": -5},
        {"arrivals_per_hour": "nan"},
        {"arrivals_per_hour": "inf"},
        {"arrivals_per_hour": 1e12},
        {"handle_seconds": 0},
        {"handle_seconds": -1},
        {"handle_seconds": 10**9},
        {"target_seconds": 0},
        {"target_seconds": -20},
        {"service_level": 0},
        {"service_level": 1},
        {"service_level": 90},
        {"service_level": "high"},
        {"concurrency": 0},
        {"concurrency": 2.5},
        {"concurrency": 11},
        {"concurrency": "two"},
        {"arrivals_per_hour": 1_000_000, "handle_seconds": 86_400},
        {"arrivals_per_hour": "1\x00"},
    ],
)
def test_junk_is_refused_with_a_clear_invalid(api, junk):
    query = {"arrivals_per_hour": 200, "handle_seconds": 180, "target_seconds": 20, "service_level": 0.8, **junk}
    response = api.get(URL, query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"]


def test_a_missing_parameter_is_named(api):
    response = api.get(URL, {"arrivals_per_hour": 200, "handle_seconds": 180, "target_seconds": 20})
    assert response.status_code == 400
    assert "service_level" in response.json()["fields"]


def test_the_model_needs_a_login(db):
    assert APIClient().get(URL, {"arrivals_per_hour": 1}).status_code == 401
