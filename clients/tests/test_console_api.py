"""The console's reads of a client's briefing and canned replies: only agents serving the client get them."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as HttpClient

from clients.models import Briefing, CannedReply, FaqEntry, Representative
from conftest import make_agent, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    client = make_client("Shop")
    Briefing.objects.create(
        client=client,
        may_answer="Delivery times",
        may_not_answer="Refunds",
        tone="Warm, informal",
        useful_links="https://shop.example/faq\n\n",
    )
    FaqEntry.objects.create(client=client, question="Do you ship abroad?", answer="Within the EU.")
    CannedReply.objects.create(client=client, shortcut="/hours", title="Opening hours", body="We open at 9.")
    CannedReply.objects.create(client=client, shortcut="/ship", title="Shipping", body="48 hours.")
    return client


@pytest.fixture
def other_shop():
    client = make_client("Other shop")
    CannedReply.objects.create(client=client, shortcut="/hours", title="Hours", body="Secret hours of B.")
    return client


def logged_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def briefing_url(client) -> str:
    return f"/console/api/clients/{client.pk}/briefing/"


def canned_url(client, query: str = "") -> str:
    return f"/console/api/clients/{client.pk}/canned-replies/?q={query}"


def test_an_agent_serving_the_client_gets_its_briefing_and_faq(shop):
    agent = make_agent("ana", shop)
    response = logged_in(agent.user).get(briefing_url(shop))
    assert response.status_code == 200
    body = response.json()
    assert body["client"]["name"] == "Shop"
    assert body["may_not_answer"] == "Refunds"
    assert body["useful_links"] == ["https://shop.example/faq"]
    assert body["faq"] == [{"question": "Do you ship abroad?", "answer": "Within the EU."}]


def test_canned_replies_are_filtered_by_the_query(shop, other_shop):
    agent = make_agent("ana", shop, other_shop)
    http = logged_in(agent.user)
    everything = http.get(canned_url(shop)).json()["canned_replies"]
    assert [reply["shortcut"] for reply in everything] == ["/hours", "/ship"]
    assert http.get(canned_url(shop, "sh")).json()["canned_replies"] == [
        {"shortcut": "/ship", "title": "Shipping", "body": "48 hours."}
    ]
    assert http.get(canned_url(other_shop, "hours")).json()["canned_replies"][0]["body"] == "Secret hours of B."


def test_an_agent_not_serving_the_client_is_refused(shop, other_shop):
    agent = make_agent("bob", other_shop)
    http = logged_in(agent.user)
    for url in (briefing_url(shop), canned_url(shop)):
        response = http.get(url)
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        assert "Refunds" not in response.content.decode()


def test_a_client_user_is_refused(shop):
    user = get_user_model().objects.create_user("olga", password="pw")
    Representative.objects.create(user=user, client=shop)
    response = logged_in(user).get(briefing_url(shop))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert logged_in(user).get(canned_url(shop)).status_code == 403


def test_an_anonymous_visitor_is_refused(shop):
    for url in (briefing_url(shop), canned_url(shop)):
        assert HttpClient().get(url).status_code in (302, 403)


def test_an_unknown_client_is_not_found(shop):
    agent = make_agent("ana", shop)
    response = logged_in(agent.user).get("/console/api/clients/999999/briefing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_only_reads_are_allowed(shop):
    agent = make_agent("ana", shop)
    assert logged_in(agent.user).post(briefing_url(shop)).status_code == 405
