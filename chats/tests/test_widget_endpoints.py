"""The widget's HTTP endpoints: starting a conversation, config, origins and CORS."""

import json

import pytest

from chats.models import Conversation
from conftest import make_agent, make_client


@pytest.fixture
def shop(db):
    return make_client("Shop", allowed_origins="https://shop.example")


def post(client, shop, data=None, origin="https://shop.example", **extra):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post(
        f"/api/widget/{shop.widget_key}/conversations/",
        data=json.dumps(data or {}),
        content_type="application/json",
        **headers,
        **extra,
    )


def test_it_starts_a_queued_conversation(client, shop):
    response = post(client, shop, {"name": "Maria", "email": "maria@example.com", "page_url": "https://shop.example/p"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "token", "status", "queue_position"}
    assert body["status"] == "queued" and body["queue_position"] == 1
    conversation = Conversation.objects.select_related("visitor").get(pk=body["id"])
    assert conversation.visitor.name == "Maria"
    assert conversation.token_matches(body["token"])
    assert body["token"] not in conversation.token_hash
    assert response["Access-Control-Allow-Origin"] == "https://shop.example"


def test_it_waits_for_the_visitors_socket_before_taking_an_agent(client, shop):
    ana = make_agent("ana", shop)
    body = post(client, shop).json()
    assert body["status"] == "queued" and body["queue_position"] == 1
    ana.refresh_from_db()
    assert ana.active_chats == 0


def test_it_refuses_a_disallowed_origin(client, shop):
    response = post(client, shop, origin="https://evil.example")
    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_allowed"
    assert not Conversation.objects.exists()


def test_it_refuses_a_missing_origin_when_origins_are_configured(client, shop):
    assert post(client, shop, origin=None).status_code == 403


def test_any_origin_is_allowed_when_none_are_configured(client, db):
    open_shop = make_client("Open shop")
    assert post(client, open_shop, origin="https://anything.example").status_code == 201


def test_an_unknown_widget_key_is_a_404_with_a_code(client, db):
    response = client.post("/api/widget/nope/conversations/", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_malformed_email_is_a_400(client, shop):
    response = post(client, shop, {"email": "not-an-email"})
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "detail": "Enter a valid email address."}


def test_malformed_json_is_a_400(client, shop):
    response = client.post(
        f"/api/widget/{shop.widget_key}/conversations/",
        data="{oops",
        content_type="application/json",
        HTTP_ORIGIN="https://shop.example",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_the_preflight_is_answered(client, shop):
    response = client.options(f"/api/widget/{shop.widget_key}/conversations/", HTTP_ORIGIN="https://shop.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_the_config_is_translated_for_the_visitor(client, shop):
    response = client.get(
        f"/api/widget/{shop.widget_key}/", HTTP_ORIGIN="https://shop.example", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["client"] == {"name": "Shop"}
    assert body["language"] == "es"
    assert body["strings"]["send"] == "Enviar"


def test_the_config_answers_a_same_origin_get_without_an_origin_header(client, shop):
    assert client.get(f"/api/widget/{shop.widget_key}/").status_code == 200


def test_the_config_refuses_a_foreign_origin(client, shop):
    response = client.get(f"/api/widget/{shop.widget_key}/", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
