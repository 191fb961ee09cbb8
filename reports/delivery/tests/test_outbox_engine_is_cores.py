"""Reports sends its emails through core's outbox engine, not a copy of it: its delivery row is core's
row with reports' fields added, and claiming, leasing and marking are core's code."""

from django.core import mail

from clients.models import OfflineMessage
from core.outbound.outbox import Outbox, OutboxRow, OutboxStatus
from reports.delivery import deliveries, leads
from reports.models import Delivery, DeliveryStatus
from reports.tests.personas import make_representative

ENGINE = ("claim", "lease_kept", "mark_sent", "mark_failed", "lease_seconds")


def test_a_delivery_is_a_core_outbox_row_with_reports_fields_added():
    assert issubclass(Delivery, OutboxRow) and OutboxRow._meta.abstract
    assert DeliveryStatus is OutboxStatus
    engine_fields = {f.name for f in OutboxRow._meta.get_fields()}
    assert engine_fields <= {f.name for f in Delivery._meta.get_fields()}
    assert {"key", "status", "attempts", "next_attempt_at", "claimed_at", "claim_token"} <= engine_fields


def test_reports_defines_no_engine_of_its_own():
    assert isinstance(deliveries.OUTBOX, Outbox) and deliveries.OUTBOX.model is Delivery
    assert not [name for name in ENGINE if hasattr(deliveries, name)]


def test_sending_a_lead_claims_and_marks_through_the_core_engine(shop, monkeypatch):
    make_representative("rita", shop)
    lead = OfflineMessage.objects.create(client=shop, email="maria@example.com", message="Do you ship to Poland?")
    leads.queue_offline_message_deliveries(lead)
    calls = []
    for name in ("claim", "mark_sent"):
        engine_function = getattr(Outbox, name)
        monkeypatch.setattr(
            Outbox,
            name,
            lambda outbox, *args, _f=engine_function, _n=name, **kwargs: (
                calls.append((_n, outbox.model)) or _f(outbox, *args, **kwargs)
            ),
        )

    assert deliveries.send_deliveries_rollback_unsafe(lead.deliveries.values_list("pk", flat=True)) == 1
    assert calls == [("claim", Delivery), ("mark_sent", Delivery)] and len(mail.outbox) == 1
    lead.refresh_from_db()
    assert lead.notified_at is not None  # reports' hook after sending ran
