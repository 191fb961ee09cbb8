"""A boolean filter the API cannot read is a 400 `invalid` with the field named, never ignored."""

import pytest

from agency.tests.api_personas import api_as, make_personas


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/offline-messages/?is_handled=ture",
        "/api/v1/coverage-exceptions/?is_closed=2",
        "/api/v1/reports/?is_urgent=maybe",
        "/api/v1/reports/?is_undeliverable=yes%00",
    ],
)
def test_a_junk_boolean_is_a_400_naming_the_filter(personas, url):
    response = api_as(personas.admin).get(url)
    assert response.status_code == 400
    body = response.json()
    name = url.split("?")[1].split("=")[0]
    assert body["code"] == "invalid" and body["detail"] and name in body["fields"]


def test_true_and_false_still_filter(personas):
    api = api_as(personas.admin)
    everything = {row["id"] for row in api.get("/api/v1/offline-messages/").json()["results"]}
    unhandled = {row["id"] for row in api.get("/api/v1/offline-messages/?is_handled=false").json()["results"]}
    handled = {row["id"] for row in api.get("/api/v1/offline-messages/?is_handled=True").json()["results"]}
    assert unhandled and not handled & unhandled and handled | unhandled == everything
    assert {row["id"] for row in api.get("/api/v1/offline-messages/?is_handled=0").json()["results"]} == unhandled
    assert {row["id"] for row in api.get("/api/v1/offline-messages/?is_handled=").json()["results"]} == everything
