"""An endpoint whose attempts have failed for a day (no success between) is disabled and its owners are
emailed once; a success resets the streak; a disabled endpoint gets no new events."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from clients.models import Representative, RepresentativeRole, WebhookDelivery, WebhookEndpoint
from clients.webhooks import services
from clients.webhooks.tests.webhook_fixtures import emit, make_endpoint, send_retries_now
from conftest import make_client


@pytest.fixture
def endpoint(db, receiver, webhook_settings):
    client = make_client()
    for role, name in ((RepresentativeRole.OWNER, "owner"), (RepresentativeRole.REPRESENTATIVE, "rep")):
        user = get_user_model().objects.create_user(name, email=f"{name}@shop.example")
        Representative.objects.create(user=user, client=client, role=role)
    return make_endpoint(client, receiver.url)


def a_day_passes(endpoint: WebhookEndpoint) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(days=1, seconds=1))


def test_a_day_of_failures_disables_the_endpoint_and_emails_its_owner(
    endpoint, receiver, mailoutbox, django_capture_on_commit_callbacks
):
    receiver.script = lambda event_id, nth: "503"
    with django_capture_on_commit_callbacks(execute=True):
        emit(endpoint.client)
    endpoint.refresh_from_db()
    assert endpoint.is_enabled and endpoint.failing_since is not None
    a_day_passes(endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        send_retries_now()
    endpoint.refresh_from_db()
    assert not endpoint.is_enabled and endpoint.disabled_at is not None
    assert [message.to for message in mailoutbox] == [["owner@shop.example"]]
    assert endpoint.url in mailoutbox[0].body and f"/portal/webhooks/{endpoint.pk}/" in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        send_retries_now()  # the retry fails for good: the endpoint is disabled
        assert emit(endpoint.client) == []  # and it gets no new events
    assert WebhookDelivery.objects.get().status == "failed"
    assert len(mailoutbox) == 1 and len(receiver.received) == 2


def test_a_success_resets_the_failing_streak(endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.script = lambda event_id, nth: "500" if nth == 1 else "200"
    with django_capture_on_commit_callbacks(execute=True):
        emit(endpoint.client)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None
    send_retries_now()
    endpoint.refresh_from_db()
    assert endpoint.is_enabled and endpoint.failing_since is None


def test_failures_for_less_than_a_day_keep_the_endpoint(
    endpoint, receiver, mailoutbox, django_capture_on_commit_callbacks
):
    receiver.script = lambda event_id, nth: "500"
    with django_capture_on_commit_callbacks(execute=True):
        emit(endpoint.client)
        send_retries_now()
        send_retries_now()
    endpoint.refresh_from_db()
    assert endpoint.is_enabled and mailoutbox == []


def test_enabling_again_starts_a_new_record(endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.script = lambda event_id, nth: "500"
    with django_capture_on_commit_callbacks(execute=True):
        emit(endpoint.client)
    a_day_passes(endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        send_retries_now()
    endpoint.refresh_from_db()
    endpoint.is_enabled = True
    services.save_endpoint(endpoint)
    endpoint.refresh_from_db()
    assert endpoint.is_enabled and endpoint.failing_since is None and endpoint.disabled_at is None
