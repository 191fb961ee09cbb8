"""Webhooks reach a real HTTP server: a 500, then a timeout, then a success gives exactly one delivery
per event, with a valid signature, and the log shows every attempt; a 4xx is permanent."""

import pytest

from clients.models import WebhookDelivery, WebhookEventType
from clients.webhooks import services
from clients.webhooks.tests.webhook_fixtures import emit, make_endpoint, send_retries_now
from conftest import make_client
from core.outbound.transports import webhook_signature


def fails_then_times_out_then_succeeds(event_id: str, nth: int) -> str:
    return {1: "500", 2: "timeout"}.get(nth, "200")


@pytest.fixture
def endpoint(db, receiver, webhook_settings):
    return make_endpoint(make_client(), receiver.url)


def test_a_failing_then_slow_then_working_receiver_gets_each_event_once(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.script = fails_then_times_out_then_succeeds
    with django_capture_on_commit_callbacks(execute=True):
        first = emit(endpoint.client, WebhookEventType.LEAD_CREATED, {"lead": {"id": 1}})
        second = emit(endpoint.client, WebhookEventType.CONVERSATION_CLOSED, {"conversation": {"id": 2}})
    assert len(receiver.received) == 2  # both answered 500

    send_retries_now()  # both time out
    send_retries_now()  # both delivered
    send_retries_now()  # nothing is due any more

    delivered = receiver.delivered()
    assert sorted(seen.event["type"] for seen in delivered) == ["conversation.closed", "lead.created"]
    assert len({seen.event["id"] for seen in delivered}) == 2
    assert [seen.answer for seen in receiver.received].count("timeout") == 2
    for row in WebhookDelivery.objects.filter(pk__in=first + second):
        assert row.status == "sent"
        log = list(row.attempt_log.order_by("attempted_at", "pk"))
        assert [attempt.status_code for attempt in log] == [500, None, 200]
        assert "timed out" in log[1].error
        assert [attempt.is_success for attempt in log] == [False, False, True]


def test_every_attempt_is_signed_over_its_timestamp_and_body(endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        emit(endpoint.client)
    seen = receiver.received[0]
    parts = dict(item.split("=", 1) for item in seen.headers["Relevo-Signature"].split(","))
    assert parts["v1"] == webhook_signature(endpoint.secret, int(parts["t"]), seen.body)
    assert parts["v1"] != webhook_signature("whsec_another", int(parts["t"]), seen.body)
    assert seen.headers["Relevo-Event-Id"] == seen.event["id"]
    assert seen.event["version"] == 1 and seen.event["client_id"] == endpoint.client_id


def test_a_4xx_fails_the_delivery_at_once(endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.script = lambda event_id, nth: "410"
    with django_capture_on_commit_callbacks(execute=True):
        (row_id,) = emit(endpoint.client)
    send_retries_now()
    row = WebhookDelivery.objects.get(pk=row_id)
    assert row.status == "failed" and row.attempts == 1
    assert [attempt.status_code for attempt in row.attempt_log.all()] == [410]
    assert len(receiver.received) == 1


def test_a_429_is_retried(endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.script = lambda event_id, nth: "429" if nth == 1 else "204"
    with django_capture_on_commit_callbacks(execute=True):
        (row_id,) = emit(endpoint.client)
    send_retries_now()
    assert WebhookDelivery.objects.get(pk=row_id).status == "sent"


def test_redelivering_sends_the_same_event_again(endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (row_id,) = emit(endpoint.client)
    with django_capture_on_commit_callbacks(execute=True):
        services.redeliver(WebhookDelivery.objects.get(pk=row_id))
    first, again = receiver.received
    assert first.body == again.body and first.event["id"] == again.event["id"]
    assert WebhookDelivery.objects.get(pk=row_id).attempt_log.count() == 2


def test_nobody_listening_queues_nothing(db, webhook_settings):
    client = make_client()
    make_endpoint(client, "https://hooks.example/relevo", events=[WebhookEventType.REPORT_SENT])
    assert emit(client, WebhookEventType.LEAD_CREATED) == []
    assert not WebhookDelivery.objects.exists()
