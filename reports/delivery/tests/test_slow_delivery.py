"""A slow mail server emails nobody twice: rows are claimed one email at a time, a live sender keeps
its lease, and only the claim that took a row may mark it."""

import threading
import uuid

import pytest
from django.db import connections
from django.db.models import F
from django.utils import timezone

from clients.models import OfflineMessage
from core import outbound
from core.outbound import DeliveryError
from reports.delivery import deliveries, leads
from reports.delivery.tests.real_worker import sent_emails
from reports.models import Delivery, DeliveryStatus
from reports.tests.personas import make_representative


def queued_lead_deliveries(shop, usernames) -> list[int]:
    for username in usernames:
        make_representative(username, shop)
    lead = OfflineMessage.objects.create(client=shop, email="maria@example.com", message="Do you ship to Poland?")
    leads.queue_offline_message_deliveries(lead)
    return list(lead.deliveries.order_by("pk").values_list("pk", flat=True))


def sweep_rows_taken_for_lost() -> None:
    """The sweep's first half: rows whose lease ran out go back in line and are sent again at once."""
    deliveries.recover_stuck_deliveries()
    deliveries.send_deliveries_rollback_unsafe(
        Delivery.objects.filter(status=DeliveryStatus.RETRYING).values_list("pk", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_a_transport_slower_than_the_stuck_timeout_sends_one_email_per_delivery(shop, settings, monkeypatch, tmp_path):
    settings.EMAIL_BACKEND = "reports.delivery.tests.slow_email_backend.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.REPORT_SENDING_STUCK_SECONDS = 2
    monkeypatch.setenv("EMAIL_SLOW_SECONDS", "2.5")  # each send outlives the lease it started with
    ids = queued_lead_deliveries(shop, ["olga", "rita", "rafa"])

    def slow_batch() -> None:
        try:
            deliveries.send_deliveries_rollback_unsafe(ids)
        finally:
            connections.close_all()

    batch = threading.Thread(target=slow_batch)
    batch.start()
    while batch.is_alive():  # another worker sweeps beside the slow batch, resending what it finds lost
        sweep_rows_taken_for_lost()
        batch.join(timeout=0.1)

    rows = list(Delivery.objects.filter(pk__in=ids))
    assert all(row.status == DeliveryStatus.SENT and row.attempts == 1 for row in rows)
    messages = sent_emails(tmp_path)
    assert sorted(message["Message-ID"] for message in messages) == sorted(row.message_id for row in rows)


class LosesItsClaimThenFails:
    """While it sends, the lease runs out and another worker re-claims the row; then the send fails."""

    def send(self, outbound) -> None:
        Delivery.objects.filter(status=DeliveryStatus.SENDING).update(
            claim_token=uuid.uuid4(), attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
        raise DeliveryError("SMTPServerDisconnected: connection lost")


class LosesItsClaimThenSucceeds(LosesItsClaimThenFails):
    def send(self, outbound) -> None:
        try:
            super().send(outbound)
        except DeliveryError:
            pass


@pytest.mark.parametrize("transport", [LosesItsClaimThenFails, LosesItsClaimThenSucceeds])
def test_a_sender_that_lost_its_claim_marks_nothing(shop, monkeypatch, transport):
    [pk] = queued_lead_deliveries(shop, ["olga"])
    monkeypatch.setitem(outbound.TRANSPORTS, "email", transport)
    assert deliveries.send_deliveries_rollback_unsafe([pk]) == 0
    row = Delivery.objects.get(pk=pk)
    assert (row.status, row.attempts, row.sent_at) == (DeliveryStatus.SENDING, 2, None)  # the other worker's
