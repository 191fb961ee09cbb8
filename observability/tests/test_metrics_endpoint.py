"""`GET /metrics`: Prometheus' text format, only for a caller holding METRICS_TOKEN."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import make_client, start_chat, start_ghost_chat

TOKEN = "scrape-secret-0123456789"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN


def samples(text: str) -> dict:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.mark.django_db
def test_it_does_not_exist_without_a_token_setting(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404
    settings.METRICS_TOKEN = TOKEN  # the same request, once the operator sets the token
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_a_caller_without_a_bearer_token_is_asked_for_one(client, metrics_token):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401


def test_a_wrong_token_is_refused(client, metrics_token):
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-0123456788")
    assert response.status_code == 403
    assert "relevo_" not in response.content.decode()


@pytest.mark.django_db
def test_the_right_token_gets_relevo_metrics_and_the_queues(client, metrics_token):
    shop = make_client("Metrics shop")  # nobody online: its chats wait in line
    start_chat(shop)
    start_chat(shop)
    start_ghost_chat(shop)  # not connected: not in line
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    for name in (
        "relevo_open_sockets",
        "relevo_socket_refusals_total",
        "relevo_messages_stored_total",
        "relevo_messages_relayed_total",
        "relevo_group_commit_batch_size",
        "relevo_message_store_seconds",
        "relevo_first_response_seconds",
        "relevo_celery_task_seconds",
        "relevo_outbox_rows",
    ):
        assert f"# TYPE {name}" in text, name
    values = samples(text)
    assert values[("relevo_queue_length", (("client", shop.slug),))] == 2
    assert values[("relevo_queue_oldest_wait_seconds", (("client", shop.slug),))] >= 0
    assert values[("relevo_outbox_rows", (("outbox", "reports.delivery"), ("status", "failed")))] == 0
    assert values[("relevo_outbox_rows", (("outbox", "clients.webhookdelivery"), ("status", "queued")))] == 0
