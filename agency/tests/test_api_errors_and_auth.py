"""REST API plumbing: tokens, the error body, unknown endpoints, pagination limits, the OpenAPI schema."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from agency.tests.api_personas import api_as, make_personas


@pytest.fixture
def personas(db):
    return make_personas()


def issue_token(username: str) -> str:
    out = io.StringIO()
    call_command("create_api_token", username, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_create_api_token_prints_a_token_that_authenticates(personas):
    key = issue_token("agency-admin")
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/clients/").status_code == 200


def test_each_call_issues_another_token_as_the_key_cannot_be_shown_again(personas):
    first, second = issue_token("agency-admin"), issue_token("agency-admin")
    assert first != second
    for key in (first, second):
        assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/clients/").status_code == 200


def test_rotate_replaces_the_token(personas):
    key = issue_token("agency-admin")
    call_command("create_api_token", "agency-admin", "--rotate", stdout=io.StringIO(), stderr=io.StringIO())
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/clients/").status_code == 401


def test_create_api_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "nobody")


def test_a_wrong_token_is_401_with_a_code(personas):
    response = APIClient(HTTP_AUTHORIZATION="Token nope").get("/api/v1/clients/")
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid token."}


def test_session_login_works_for_the_browser(personas):
    browser = APIClient()
    browser.force_login(personas.a.owner)
    assert browser.get("/api/v1/clients/").status_code == 200


def test_unknown_endpoints_and_methods_answer_json(personas):
    api = api_as(personas.admin)
    missing = api.get("/api/v1/nothing/here/")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    method = api.delete(f"/api/v1/clients/{personas.a.client.pk}/")
    assert (method.status_code, method.json()["code"]) == (405, "method_not_allowed")


def test_malformed_json_is_a_parse_error(personas):
    response = api_as(personas.admin).post("/api/v1/coverage-windows/", "{nope", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "parse_error")


def test_page_size_is_capped_at_200_and_a_missing_page_is_404(personas):
    api = api_as(personas.admin)
    body = api.get("/api/v1/clients/?page_size=5000").json()
    assert body["count"] == 2 and len(body["results"]) == 2
    response = api.get("/api/v1/clients/?page=99")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_the_schema_has_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/analytics/agents/" in (tmp_path / "schema.yaml").read_text()


def test_the_docs_page_and_schema_are_served(db):
    assert APIClient().get("/api/schema/?format=json").json()["openapi"].startswith("3.")
    assert APIClient().get("/api/docs/").status_code == 200
