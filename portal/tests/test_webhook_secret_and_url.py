"""The portal's webhook form says what it accepts and accepts what it says (https://; http:// only where
local test addresses are allowed), and shows a signing secret whole once, when it is generated."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from agency.tests.api_personas import api_as
from clients.models import RepresentativeRole, WebhookEndpoint
from clients.webhooks import services as webhooks
from reports.tests.personas import make_representative

FORM = {"events": ["lead.created"], "is_enabled": "on"}


@pytest.fixture
def production(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    return settings


@pytest.fixture
def owner_http(shop):
    owner = make_representative("olga", shop, role=RepresentativeRole.OWNER)
    http = HttpClient()
    http.force_login(owner.user)
    http.owner = owner
    return http


def test_the_form_says_https_and_refuses_http_on_the_portal_the_api_and_the_service(production, owner_http, shop):
    page = owner_http.get("/portal/webhooks/").content.decode()
    assert "An https:// address of your own systems." in page and "http:// too" not in page
    refused = owner_http.post("/portal/webhooks/", {**FORM, "url": "http://crm.example/in"})
    assert refused.status_code == 200 and "Use an https:// address" in refused.content.decode()
    api = api_as(owner_http.owner.user).post(
        "/api/v1/webhooks/", {"url": "http://crm.example/in", "events": ["lead.created"]}, format="json"
    )
    assert api.status_code == 400 and "url" in api.json()["fields"]
    with pytest.raises(ValidationError):
        webhooks.create_endpoint(client=shop, url="http://crm.example/in", events=["lead.created"])
    assert not WebhookEndpoint.objects.exists()
    assert owner_http.post("/portal/webhooks/", {**FORM, "url": "https://crm.example/in"}).status_code == 302


def test_http_is_accepted_and_said_only_where_local_test_addresses_are_allowed(settings, owner_http):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    assert "http:// too" in owner_http.get("/portal/webhooks/").content.decode()
    assert owner_http.post("/portal/webhooks/", {**FORM, "url": "http://127.0.0.1:9999/hook"}).status_code == 302


def test_the_secret_is_shown_whole_once_after_creation_then_masked(production, owner_http):
    created = owner_http.post("/portal/webhooks/", {**FORM, "url": "https://crm.example/in"}, follow=True)
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in created.content.decode()
    again = owner_http.get(f"/portal/webhooks/{endpoint.pk}/").content.decode()
    assert endpoint.secret not in again
    assert endpoint.secret[-4:] in again and "whsec_" in again


def test_rotating_shows_the_new_secret_once(production, owner_http, shop):
    endpoint = webhooks.create_endpoint(client=shop, url="https://crm.example/in", events=["lead.created"])
    assert endpoint.secret not in owner_http.get(f"/portal/webhooks/{endpoint.pk}/").content.decode()
    rotated = owner_http.post(f"/portal/webhooks/{endpoint.pk}/rotate-secret/", follow=True).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret in rotated
    assert endpoint.secret not in owner_http.get(f"/portal/webhooks/{endpoint.pk}/").content.decode()
