"""The widget's offline form: a lead is stored and the client's representatives are emailed once
(delivered by reports: reports/delivery/tests/test_offline_message_delivery.py)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from clients.models import OfflineMessage, Representative
from clients.tasks import notify_representatives_of_offline_message
from conftest import make_client

pytestmark = pytest.mark.django_db

VALID = {"name": "Maria", "email": "maria@example.com", "message": "Do you ship to Poland?", "consent": True}


@pytest.fixture
def shop():
    return make_client("Shop", allowed_origins="https://shop.example", is_24_7=False)


def representative(client, username, language="en", **fields):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "pw")
    return Representative.objects.create(user=user, client=client, language=language, **fields)


def post(http, shop, data, origin="https://shop.example"):
    return http.post(
        f"/api/widget/{shop.widget_key}/offline-messages/",
        data=json.dumps(data),
        content_type="application/json",
        HTTP_ORIGIN=origin,
    )


def test_it_stores_the_message_and_answers_201_with_its_id(client, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, shop, VALID)
    assert response.status_code == 201
    stored = OfflineMessage.objects.get(pk=response.json()["id"])
    assert (stored.client, stored.email, stored.is_handled) == (shop, "maria@example.com", False)
    assert response["Access-Control-Allow-Origin"] == "https://shop.example"


def test_a_form_post_works_too(client, shop):
    response = client.post(
        f"/api/widget/{shop.widget_key}/offline-messages/",
        {"email": "a@example.com", "message": "Hi", "consent": "on"},
        HTTP_ORIGIN="https://shop.example",
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"email": ""}, "Enter your email address"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"message": "   "}, "Write your message"),
        ({"message": "x" * 4001}, "at most 4000 characters"),
        ({"consent": False}, "Please agree"),
        ({"consent": "yes"}, "Please agree"),
    ],
)
def test_it_refuses_invalid_input_with_a_code_and_a_sentence(client, shop, change, detail):
    response = post(client, shop, {**VALID, **change})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert detail in response.json()["detail"]
    assert not OfflineMessage.objects.exists()


def test_it_refuses_a_foreign_origin_and_an_unknown_key(client, shop):
    assert post(client, shop, VALID, origin="https://evil.example").status_code == 403
    response = client.post("/api/widget/nope/offline-messages/", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert not OfflineMessage.objects.exists()


def test_it_answers_the_preflight(client, shop):
    response = client.options(f"/api/widget/{shop.widget_key}/offline-messages/", HTTP_ORIGIN="https://shop.example")
    assert response.status_code == 204


def test_each_representative_is_emailed_in_their_language(client, shop, django_capture_on_commit_callbacks):
    representative(shop, "olga", language="pl")
    representative(shop, "jose", language="es")
    representative(shop, "quiet", receives_emails=False)
    representative(make_client("Other shop"), "outsider")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, shop, VALID)
    assert sorted(message.to[0] for message in mail.outbox) == ["jose@example.com", "olga@example.com"]
    email = mail.outbox[0]
    assert "Do you ship to Poland?" in email.body
    assert email.reply_to == ["maria@example.com"]
    assert email.alternatives[0][1] == "text/html"


def test_a_repeated_task_sends_nothing_twice(shop, django_capture_on_commit_callbacks):
    representative(shop, "olga")
    lead = OfflineMessage.objects.create(client=shop, email="lead@example.com", message="Hi")
    with django_capture_on_commit_callbacks(execute=True):
        notify_representatives_of_offline_message(lead.pk)
        notify_representatives_of_offline_message(lead.pk)
    assert len(mail.outbox) == 1


def test_nothing_is_emailed_when_the_message_is_refused(client, shop, django_capture_on_commit_callbacks):
    representative(shop, "olga")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, shop, {**VALID, "consent": False})
    assert mail.outbox == []
