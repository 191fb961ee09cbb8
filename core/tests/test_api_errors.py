"""The REST API's exception handler (core.api_errors) answers a domain error with core.errors' one mapping."""

from core.api_errors import handle_api_error
from core.errors import Forbidden, RateLimited


def test_a_domain_error_keeps_its_status_and_code_and_a_rate_limit_says_when_to_retry():
    response = handle_api_error(RateLimited(12), {})
    assert response is not None
    assert (response.status_code, response.data["code"]) == (429, "rate_limited")
    assert response["Retry-After"] == "12"


def test_a_domain_error_with_nothing_to_wait_for_has_no_retry_after():
    response = handle_api_error(Forbidden(), {})
    assert response is not None
    assert response.status_code == 403
    assert response.data == {"code": "forbidden", "detail": str(Forbidden.default_detail)}
    assert not response.has_header("Retry-After")


def test_a_bug_is_left_to_django_as_a_500():
    assert handle_api_error(ValueError("a bug"), {}) is None
