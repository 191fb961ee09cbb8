"""Gauges read from the database when Prometheus scrapes (core.metrics' scrape-time names).

Each collector costs a few indexed aggregate queries, whatever the traffic: the queue per
client (count and oldest wait, as the live floor reads them) and the outbound rows not yet
sent of every outbox (report emails, quality emails, webhooks: whatever subclasses
core.outbound's OutboxRow). The scraped process computes them once for the fleet.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from chats.models import VISITOR_CONNECTED, Conversation, ConversationStatus
from clients.models import Client
from core import metrics
from core.outbound.outbox import OutboxRow, OutboxStatus

UNSENT_STATUSES = (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.RETRYING, OutboxStatus.FAILED)


class QueueCollector:
    """Queued chats and the longest wait among them, per client (by slug); 0 for a client with no queue."""

    def collect(self) -> Iterable[Metric]:
        now = timezone.now()
        queues = {
            row["client_id"]: row
            for row in Conversation.objects.filter(VISITOR_CONNECTED, status=ConversationStatus.QUEUED)
            .values("client_id")
            .annotate(n=Count("pk"), oldest=Min("requested_at"))
            .order_by()
        }
        length = GaugeMetricFamily(metrics.QUEUE_LENGTH, "Chats waiting in line, per client.", labels=["client"])
        oldest = GaugeMetricFamily(
            metrics.QUEUE_OLDEST_WAIT_SECONDS, "How long the first chat in line has waited.", labels=["client"]
        )
        for pk, slug in Client.objects.values_list("pk", "slug").order_by("slug"):
            queue = queues.get(pk)
            length.add_metric([slug], queue["n"] if queue else 0)
            oldest.add_metric([slug], max(0.0, (now - queue["oldest"]).total_seconds()) if queue else 0)
        yield length
        yield oldest


def outboxes() -> list[type[OutboxRow]]:
    """Every installed model that is an outbox's rows."""
    return sorted(
        (model for model in apps.get_models() if issubclass(model, OutboxRow)), key=lambda m: m._meta.label_lower
    )


class OutboxCollector:
    """Outbound rows not sent yet (queued, sending, retrying) or given up on (failed), per outbox."""

    def collect(self) -> Iterable[Metric]:
        rows = GaugeMetricFamily(
            metrics.OUTBOX_ROWS,
            "Outbound rows not sent yet or failed, by outbox (its model) and status.",
            labels=["outbox", "status"],
        )
        for model in outboxes():
            counts = dict(
                model.objects.filter(status__in=UNSENT_STATUSES)
                .values_list("status")
                .annotate(n=Count("pk"))
                .order_by()
            )
            for status in UNSENT_STATUSES:
                rows.add_metric([model._meta.label_lower, str(status)], counts.get(status, 0))
        yield rows


SCRAPE_TIME_COLLECTORS = (QueueCollector(), OutboxCollector())
