"""Schemathesis drives every operation of the OpenAPI schema in-process (WSGI) as an agency
admin: no request may end in a 5xx, and every 4xx must carry `{"code", "detail"}`."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from agency.api_tokens import issue_api_token
from agency.tests.api_personas import make_personas

MAX_EXAMPLES = 12


# Loaded at collection (the schema view reads no database). Not `schemathesis.pytest.from_fixture`:
# its lazy loader sets `node._nodeid`, which pytest 9 no longer has.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def admin_token(db):
    # Like Django's test client: requests must not close the test's connection (its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield issue_api_token(user=make_personas().admin)[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_operation_fails_or_answers_an_error_without_a_code(case, admin_token):
    response = case.call(headers={"Authorization": f"Token {admin_token}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
    if response.status_code >= 400:
        body = response.json()
        assert {"code", "detail"} <= set(body), f"{case.method} {case.formatted_path}: {body}"
