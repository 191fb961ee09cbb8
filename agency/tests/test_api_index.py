"""`/api/v1/` answers with the API's index: links to its endpoints, behind the usual authentication."""

import pytest
from rest_framework.test import APIClient

from agency.tests.api_personas import api_as, make_personas


@pytest.fixture
def personas(db):
    return make_personas()


def test_the_index_lists_the_endpoints_for_an_authenticated_caller(personas):
    response = api_as(personas.a.owner).get("/api/v1/")
    assert response.status_code == 200
    links = response.json()
    assert links["clients"] == "http://testserver/api/v1/clients/"
    assert links["conversations"] == "http://testserver/api/v1/conversations/"
    assert links["analytics/agents"] == "http://testserver/api/v1/analytics/agents/"
    assert links["docs"] == "http://testserver/api/docs/"


def test_an_anonymous_caller_gets_a_json_401(db):
    response = APIClient().get("/api/v1/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_logged_in_browser_gets_the_browsable_index(personas):
    browser = APIClient()
    browser.force_login(personas.admin)
    response = browser.get("/api/v1/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "/api/v1/escalations/" in response.content.decode()
