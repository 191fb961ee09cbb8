"""Agency admins manage any client's webhook endpoints in the admin, under the same rules as the portal."""

from clients.models import WebhookEndpoint
from clients.webhooks import services
from conftest import make_client


def test_an_admin_adds_an_endpoint_for_a_client(admin_client):
    shop = make_client()
    assert admin_client.get("/admin/clients/webhookendpoint/add/").status_code == 200
    response = admin_client.post(
        "/admin/clients/webhookendpoint/add/",
        {
            "client": shop.pk,
            "url": "https://crm.example/in",
            "events": ["lead.created", "conversation.closed"],
            "is_enabled": "on",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.client == shop and endpoint.events == ["conversation.closed", "lead.created"]
    assert endpoint.secret.startswith("whsec_")


def test_the_admin_refuses_a_literal_private_address(admin_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    shop = make_client()
    response = admin_client.post(
        "/admin/clients/webhookendpoint/add/",
        {"client": shop.pk, "url": "http://127.0.0.1:8000/", "events": ["lead.created"], "is_enabled": "on"},
    )
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()


def test_the_admin_shows_a_delivery_with_its_attempts(admin_client):
    endpoint = services.create_endpoint(client=make_client(), url="https://crm.example/in", events=["lead.created"])
    (row_id,) = services.emit_event(endpoint.client_id, "lead.created", {"lead": {"id": 1}})
    assert admin_client.get(f"/admin/clients/webhookdelivery/{row_id}/change/").status_code == 200
    assert admin_client.get("/admin/clients/webhookendpoint/").status_code == 200
