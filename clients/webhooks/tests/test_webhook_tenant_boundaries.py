"""Webhooks are managed by a client's owners (their own client's) and agency admins (everyone's):
another client's owner never sees or changes an endpoint or a delivery, on a page or through the API."""

import pytest

from agency import roles
from agency.tests.api_personas import api_as, make_personas, make_user
from clients.models import Representative, RepresentativeRole, WebhookDelivery, WebhookEndpoint
from clients.webhooks import services as webhooks
from reports.tests.personas import logged_in


@pytest.fixture
def personas(db, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    personas = make_personas()
    for data in (personas.a, personas.b):
        data.endpoint = webhooks.create_endpoint(
            client=data.client, url=f"https://{data.client.slug}.example/hook", events=["lead.created"]
        )
        webhooks.emit_event(data.client.pk, "lead.created", {"lead": {"id": data.offline_message.pk}})
        data.delivery = WebhookDelivery.objects.get(endpoint=data.endpoint)
        WebhookDelivery.objects.filter(pk=data.delivery.pk).update(status="failed")
    personas.a.teammate = make_user("rep-alpha", roles.CLIENT_REPRESENTATIVE)
    Representative.objects.create(
        user=personas.a.teammate, client=personas.a.client, role=RepresentativeRole.REPRESENTATIVE
    )
    return personas


class TestApi:
    def test_an_owner_lists_only_their_own_endpoints_with_the_secret(self, personas):
        rows = api_as(personas.a.owner).get("/api/v1/webhooks/").json()["results"]
        assert [(row["id"], row["secret"]) for row in rows] == [(personas.a.endpoint.pk, personas.a.endpoint.secret)]

    def test_an_agency_admin_sees_every_clients_endpoints(self, personas):
        rows = api_as(personas.admin).get("/api/v1/webhooks/").json()["results"]
        assert {row["id"] for row in rows} == {personas.a.endpoint.pk, personas.b.endpoint.pk}

    def test_an_owner_adds_an_endpoint_to_their_own_client_by_default(self, personas):
        response = api_as(personas.a.owner).post(
            "/api/v1/webhooks/",
            {"url": "https://crm.example/relevo", "events": ["conversation.closed", "rating.created"]},
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["client"] == personas.a.client.pk and response.json()["secret"].startswith("whsec_")

    def test_an_owner_may_not_add_an_endpoint_to_another_client(self, personas):
        response = api_as(personas.a.owner).post(
            "/api/v1/webhooks/",
            {"client": personas.b.client.pk, "url": "https://evil.example/", "events": ["lead.created"]},
            format="json",
        )
        assert response.status_code == 400 and "client" in response.json()["fields"]
        assert not WebhookEndpoint.objects.filter(url="https://evil.example/").exists()

    @pytest.mark.parametrize(
        "method, path, body",
        [
            ("get", "/api/v1/webhooks/{id}/", None),
            ("patch", "/api/v1/webhooks/{id}/", {"url": "https://evil.example/"}),
            ("delete", "/api/v1/webhooks/{id}/", None),
            ("post", "/api/v1/webhooks/{id}/rotate-secret/", None),
            ("get", "/api/v1/webhooks/{id}/deliveries/", None),
            ("post", "/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver/", None),
        ],
    )
    def test_another_clients_endpoint_is_a_404(self, personas, method, path, body):
        target = personas.b
        url = path.format(id=target.endpoint.pk, delivery=target.delivery.pk)
        response = getattr(api_as(personas.a.owner), method)(url, body, format="json")
        assert response.status_code == 404
        endpoint = WebhookEndpoint.objects.get(pk=target.endpoint.pk)
        assert endpoint.url == target.endpoint.url and endpoint.secret == target.endpoint.secret
        assert WebhookDelivery.objects.get(pk=target.delivery.pk).status == "failed"

    def test_a_foreign_delivery_cannot_be_redelivered_through_an_own_endpoint(self, personas):
        url = f"/api/v1/webhooks/{personas.a.endpoint.pk}/deliveries/{personas.b.delivery.pk}/redeliver/"
        assert api_as(personas.a.owner).post(url).status_code == 404
        assert WebhookDelivery.objects.get(pk=personas.b.delivery.pk).status == "failed"

    def test_an_owner_reads_and_redelivers_their_own_deliveries(self, personas):
        api = api_as(personas.a.owner)
        log = api.get(f"/api/v1/webhooks/{personas.a.endpoint.pk}/deliveries/").json()
        assert [row["id"] for row in log] == [personas.a.delivery.pk]
        response = api.post(f"/api/v1/webhooks/{personas.a.endpoint.pk}/deliveries/{personas.a.delivery.pk}/redeliver/")
        assert response.status_code == 200 and response.json()["status"] == "retrying"

    @pytest.mark.parametrize("who", ["supervisor", "agent", "teammate"])
    def test_nobody_else_manages_webhooks(self, personas, who):
        user = {"supervisor": personas.supervisor, "agent": personas.a.agent.user, "teammate": personas.a.teammate}[who]
        api = api_as(user)
        assert api.get("/api/v1/webhooks/").status_code == 403
        assert api.get(f"/api/v1/webhooks/{personas.a.endpoint.pk}/").status_code == 403
        assert (
            api.post(
                "/api/v1/webhooks/",
                {"client": personas.a.client.pk, "url": "https://x.example/", "events": ["lead.created"]},
                format="json",
            ).status_code
            == 403
        )

    def test_a_private_address_or_an_unknown_event_is_a_clear_400(self, personas):
        api = api_as(personas.a.owner)
        private = api.post("/api/v1/webhooks/", {"url": "http://10.0.0.5/", "events": ["lead.created"]}, format="json")
        assert private.status_code == 400 and "url" in private.json()["fields"]
        unknown = api.post(
            "/api/v1/webhooks/", {"url": "https://x.example/", "events": ["chat.exploded"]}, format="json"
        )
        assert unknown.status_code == 400 and "events" in unknown.json()["fields"]


class TestPortal:
    def test_an_owner_sees_their_endpoints_and_delivery_log(self, personas):
        http = logged_in(personas.a.owner)
        listing = http.get("/portal/webhooks/").content.decode()
        assert personas.a.endpoint.url in listing and personas.b.endpoint.url not in listing
        detail = http.get(f"/portal/webhooks/{personas.a.endpoint.pk}/").content.decode()
        assert str(personas.a.delivery.event_id) in detail
        assert personas.a.endpoint.secret not in detail  # shown once, when generated (test_webhook_secret_and_url)

    def test_an_owner_adds_edits_and_deletes_an_endpoint(self, personas):
        http = logged_in(personas.a.owner)
        response = http.post(
            "/portal/webhooks/",
            {"url": "https://crm.example/in", "events": ["lead.created", "report.sent"], "is_enabled": "on"},
        )
        endpoint = WebhookEndpoint.objects.get(url="https://crm.example/in")
        assert response.status_code == 302 and endpoint.client == personas.a.client
        assert endpoint.events == ["lead.created", "report.sent"]
        http.post(f"/portal/webhooks/{endpoint.pk}/", {"url": "https://crm.example/v2", "events": ["lead.created"]})
        endpoint.refresh_from_db()
        assert endpoint.url == "https://crm.example/v2" and not endpoint.is_enabled
        http.post(f"/portal/webhooks/{endpoint.pk}/delete/")
        assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()

    def test_a_private_address_is_a_form_error(self, personas):
        response = logged_in(personas.a.owner).post(
            "/portal/webhooks/", {"url": "http://169.254.169.254/", "events": ["lead.created"]}
        )
        assert response.status_code == 200 and "private" in response.content.decode()

    @pytest.mark.parametrize(
        "method, path",
        [
            ("get", "/portal/webhooks/{id}/"),
            ("post", "/portal/webhooks/{id}/"),
            ("post", "/portal/webhooks/{id}/delete/"),
            ("post", "/portal/webhooks/{id}/rotate-secret/"),
            ("post", "/portal/webhooks/deliveries/{delivery}/redeliver/"),
        ],
    )
    def test_another_clients_endpoint_and_deliveries_are_a_404(self, personas, method, path):
        target = personas.b
        url = path.format(id=target.endpoint.pk, delivery=target.delivery.pk)
        response = getattr(logged_in(personas.a.owner), method)(
            url, {"url": "https://evil.example/", "events": ["lead.created"]}
        )
        assert response.status_code == 404
        endpoint = WebhookEndpoint.objects.get(pk=target.endpoint.pk)
        assert endpoint.url == target.endpoint.url and endpoint.secret == target.endpoint.secret
        assert WebhookDelivery.objects.get(pk=target.delivery.pk).status == "failed"

    def test_an_owner_redelivers_their_own_delivery(self, personas):
        logged_in(personas.a.owner).post(f"/portal/webhooks/deliveries/{personas.a.delivery.pk}/redeliver/")
        assert WebhookDelivery.objects.get(pk=personas.a.delivery.pk).status == "retrying"

    def test_a_representative_who_is_not_an_owner_is_refused(self, personas):
        http = logged_in(personas.a.teammate)
        assert http.get("/portal/webhooks/").status_code == 403
        assert http.get(f"/portal/webhooks/{personas.a.endpoint.pk}/").status_code == 403

    def test_an_agent_is_refused(self, personas):
        assert logged_in(personas.a.agent.user).get("/portal/webhooks/").status_code == 403
