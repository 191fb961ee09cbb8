"""A refused CSRF check answers the console's JSON API in JSON and a browser's form with the usual page."""

import json

import pytest
from django.test import Client as HttpClient

from conftest import make_agent, make_client, start_chat


@pytest.fixture
def ana_without_csrf_token(db):
    shop = make_client("Shop")
    ana = make_agent("ana", shop)
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(ana.user)
    return http, start_chat(shop)


@pytest.mark.parametrize(
    "what, data",
    [
        ("escalations", {"question": "Refund?", "category": "refund"}),
        ("feedback", {"kind": "idea", "text": "Gift wrap"}),
    ],
)
def test_the_console_api_answers_a_csrf_failure_in_json(ana_without_csrf_token, what, data):
    http, chat = ana_without_csrf_token
    response = http.post(
        f"/console/api/conversations/{chat.conversation.pk}/{what}/",
        data=json.dumps(data),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "csrf_failed" and body["detail"]


def test_a_form_post_still_gets_the_html_page(ana_without_csrf_token):
    http, _chat = ana_without_csrf_token
    response = http.post("/accounts/logout/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
