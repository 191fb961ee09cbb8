"""Who manages which webhooks: a client's owners their own client's, agency admins every client's.

Nobody else (representatives, agents, supervisors) sees endpoints: they hold signing secrets."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from clients.models import Client, Representative, RepresentativeRole
from clients.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from clients.selectors import clients_visible_to, is_agency_admin, is_client_side


def may_manage_webhooks(user) -> bool:
    if is_client_side(user):
        return Representative.objects.filter(user=user, role=RepresentativeRole.OWNER).exists()
    return is_agency_admin(user)


def clients_with_webhooks_managed_by(user) -> QuerySet[Client]:
    if not may_manage_webhooks(user):
        return Client.objects.none()
    return clients_visible_to(user)


def endpoints_managed_by(user) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(client__in=clients_with_webhooks_managed_by(user).values("pk"))


def delivery_log(endpoint: WebhookEndpoint, *, limit: int = 100) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, each with its attempts (oldest first)."""
    attempts = WebhookAttempt.objects.order_by("attempted_at", "pk")
    return list(
        endpoint.deliveries.order_by("-created_at", "-pk").prefetch_related(Prefetch("attempt_log", queryset=attempts))[
            :limit
        ]
    )


def masked_secret(secret: str) -> str:
    """A signing secret as shown after the once it was shown whole: its kind and last four characters."""
    kind, _, key = secret.rpartition("_")
    return f"{kind + '_' if kind else ''}{'•' * 12}{key[-4:]}"
