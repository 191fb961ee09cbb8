"""Wrong API tokens are throttled per client IP: past the limit, 429 `rate_limited` with Retry-After."""

import uuid

import pytest
from rest_framework.test import APIClient

from agency.api_tokens import issue_api_token
from agency.tests.api_personas import make_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def ip():
    """An address of this test alone: the counters are shared by the whole run."""
    return f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def call(key: str, ip: str):
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/clients/", REMOTE_ADDR=ip)


def test_wrong_tokens_get_429_after_the_limit(settings, ip):
    settings.API_TOKEN_FAILURES_PER_IP_PER_HOUR = 3
    for n in range(3):
        assert call(f"wrong{n}", ip).status_code == 401
    response = call("wrong-again", ip)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 3600


def test_a_blocked_ip_is_refused_even_with_a_right_token(settings, ip):
    settings.API_TOKEN_FAILURES_PER_IP_PER_HOUR = 2
    _, key = issue_api_token(user=make_personas().admin)
    for n in range(3):
        call(f"wrong{n}", ip)
    assert call(key, ip).status_code == 429
    assert call(key, ip + "0").status_code == 200, "other addresses are not affected"


def test_right_tokens_do_not_count(settings, ip):
    settings.API_TOKEN_FAILURES_PER_IP_PER_HOUR = 2
    _, key = issue_api_token(user=make_personas().admin)
    for _ in range(5):
        assert call(key, ip).status_code == 200
    assert call("wrong", ip).status_code == 401
